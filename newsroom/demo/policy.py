"""The demo newsroom's corrections policy: the words above the live figures.

Written once, for the default site; a second run, or an editor's own edits
since, are left as they are.
"""

from wagtail.models import Site

from participation.models import CorrectionsPolicy

INTRODUCTION = """
<p>We report on the county for the people who live in it, and we get things
wrong sometimes. When we do, we say so on the story itself, as plainly as we
made the mistake.</p>
<h2>How to tell us</h2>
<p>Every story and tracker ends with a link to report an error. Tell us what
is wrong and where; a name and an address are optional, and with an address
we will tell you what we decided. An editor reads every report, usually within
a working day, and the reporter who wrote the story is asked to check it.</p>
<h2>Correction or clarification</h2>
<p>A <strong>correction</strong> fixes a fact we got wrong: a name, a date, a
figure, who said what. A <strong>clarification</strong> fixes something that
was accurate but could mislead: a missing piece of context, an ambiguous
sentence. An <strong>update</strong> adds news that came after we published.
Each one sits at the top of the story with the date we made it.</p>
<h2>What we never do</h2>
<p>We never change a published story quietly. Every version stays readable in
the story's history, with the words that changed marked, and a correction,
once published, is never deleted. Every correction and clarification is also
listed in our public corrections log, and each change to the record is in the
record log, which anyone can check.</p>
<p>If we cannot stand by a story at all, we withdraw it: its address stays and
says why.</p>
"""

RETENTION = """
<p>What you send us when you report an error goes to our editors and to the
reporter of the story, and nowhere else. We never publish your name, your
address or what you wrote; the table above counts reports, it does not show
them.</p>
<p>An address given to follow a story or a tracker is used only to send the
changes you asked for.</p>
"""


def build_policy(stdout):
    """The corrections policy of the default site, written unless one exists."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    policy, created = CorrectionsPolicy.objects.get_or_create(
        site=site,
        defaults={"introduction": INTRODUCTION.strip(), "retention": RETENTION.strip()},
    )
    if not created and not (policy.introduction or policy.retention):
        # A row Wagtail made empty when the settings page was first opened.
        policy.introduction = INTRODUCTION.strip()
        policy.retention = RETENTION.strip()
        policy.save()
        created = True
    stdout.write(f"Corrections policy {'written' if created else 'already there'}.")
    return policy
