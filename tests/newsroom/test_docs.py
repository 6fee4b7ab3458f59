"""The documentation keeps up with the code.

The README stays short, docs/configuration.md lists exactly the environment
variables the settings read, and no relative link in the docs is broken.
No database needed.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# gunicorn.conf.py is the server's settings file; its variables share the table.
SETTINGS_FILES = [*ROOT.glob("newsroom/settings/*.py"), ROOT / "gunicorn.conf.py"]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *ROOT.glob("docs/**/*.md")]

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def dotted(node):
    """`os.environ.get` for the expression os.environ.get, else ''."""
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def string(node):
    """The value of a string literal, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def variables_read(path):
    """Environment variables a settings file reads.

    Covers os.environ["X"], os.environ.get("X"), os.getenv("X"), the settings'
    helpers named env_* (env_bool("X"), env_list("X")), and DATABASE_URL, which
    dj_database_url.config() reads unless given another name.
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Subscript) and dotted(node.value) == "os.environ":
            found.add(string(node.slice))
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if name in {"os.environ.get", "os.getenv"} or name.startswith("env_"):
            found.add(string(node.args[0]) if node.args else None)
        if name == "dj_database_url.config":
            env = [string(k.value) for k in node.keywords if k.arg == "env"]
            found.add(env[0] if env else "DATABASE_URL")
    return found - {None}


def configuration_table():
    """Variable names in the first column of docs/configuration.md's table."""
    text = (ROOT / "docs" / "configuration.md").read_text()
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \|", text, re.MULTILINE)
    assert len(rows) == len(set(rows)), "a variable is listed twice"
    return set(rows)


def heading_anchors(path):
    """GitHub's anchors for the headings of a markdown file."""
    text = FENCE.sub("", path.read_text())
    headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in headings
    }


def test_readme_has_at_most_150_lines():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 150


def test_configuration_table_lists_exactly_the_variables_the_settings_read():
    read = set().union(*(variables_read(path) for path in SETTINGS_FILES))
    listed = configuration_table()
    assert not read - listed, f"missing from docs/configuration.md: {read - listed}"
    assert not listed - read, f"listed but never read: {listed - read}"


def broken(doc, target):
    """Why a link from `doc` leads nowhere, or None when it is fine."""
    if re.match(r"[a-z]+:", target):
        return None  # https:, mailto: and the like are not checked
    file_part, _, anchor = target.partition("#")
    linked = (doc.parent / file_part).resolve() if file_part else doc
    if not linked.exists():
        return "no such file"
    if anchor and linked.suffix == ".md" and anchor not in heading_anchors(linked):
        return "no such heading"
    return None


def test_every_relative_link_points_to_a_file_or_heading_that_exists():
    found = [
        f"{doc.relative_to(ROOT)}: {target} ({reason})"
        for doc in DOCS
        for target in LINK.findall(FENCE.sub("", doc.read_text()))
        if (reason := broken(doc, target))
    ]
    assert not found, "broken links:\n" + "\n".join(found)
