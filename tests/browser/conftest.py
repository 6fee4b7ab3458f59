"""Fixtures for the browser tests."""

import pytest

# Chromium logs each refusal to the console itself; the `securitypolicyviolation`
# event is the standard signal, and repeating it there catches a refusal whose
# console wording changes between browser releases. Init scripts are exempt
# from the page's policy, so this one never reports itself.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `Content Security Policy violation: ${event.violatedDirective} ` +
    `refused ${event.blockedURI || "inline code"} on ${location.pathname}`
  );
});
"""


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation `page` meets, as console text.

    The list fills as the page navigates; assert it is empty at the end.
    """
    violations = []
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(message.text)
        ),
    )
    return violations
