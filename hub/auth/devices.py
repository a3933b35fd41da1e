"""A short name for a sign-in's device ("Chrome on Android") from its raw User-Agent string."""

import re

from flask_babel import gettext as _

# Order matters: Edge, Opera and Samsung Internet also say "Chrome", Chrome says "Safari", WeChat and
# the DingTalk in-app browsers say both.
BROWSERS = (
    ("WeChat", re.compile(r"MicroMessenger/", re.I)),
    ("DingTalk", re.compile(r"DingTalk/", re.I)),
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS|HeadlessChrome)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)

PLATFORMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Mac", re.compile(r"\bMacintosh\b|\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def _first(table, agent: str) -> str | None:
    return next((name for name, pattern in table if pattern.search(agent)), None)


def describe(agent: str | None) -> tuple[str | None, str | None]:
    """(browser, platform) named in a User-Agent string; None for a part that is not recognised."""
    agent = agent or ""
    return _first(BROWSERS, agent), _first(PLATFORMS, agent)


def label(agent: str | None) -> str:
    """The short name in the reader's language: "Chrome on Android", "Firefox", "Unknown device"."""
    browser, platform = describe(agent)
    if browser and platform:
        return _("%(browser)s on %(platform)s", browser=browser, platform=platform)
    return browser or platform or _("Unknown device")
