"""The domains' portal pages are components (preact + htm), not DOM built by hand.

Every folder frontend_static/js/<domain>/ that js/domains.js lists is read (no browser): no file
in it imports dom.js (the hand-made DOM helper of the pages not yet moved) or ui/html.js
element(), none creates or changes elements itself (document.createElement, append, innerHTML,
setAttribute, classList, ...), and none imports a helper from elsewhere in the portal that does
(pages/common.js liveNotice, say). ui/ holds the shared components; chart.js, which draws SVG by
hand for ui/slot.js to show, is the one exception. Each domain's index.js exports the render
domains.js imports, and mounts its view with ui/html.js.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
JS = REPO / "frontend_static" / "js"
DOMAINS_JS = JS / "domains.js"
# The folders moved onto components (issue 9: roadmap, commitments, KPIs; issue 10: the audit
# trail, members, and the search with what waits on your side); domains.js must keep listing them.
MOVED = ("roadmap", "commitments", "kpis", "audit", "members", "search")
# Hand-drawn SVG that components show through ui/slot.js (DomNode, Drawing).
HAND_DRAWN = {JS / "chart.js"}

DOMAIN_ENTRY = re.compile(r"import\s*\{\s*(\w+)\s*\}\s*from\s*'\./([\w-]+)/index\.js'")
IMPORT = re.compile(
    r"^\s*(?:import|export)\s*(?:\{(?P<names>[^}]*)\}\s*from\s*|(?P<default>\w+)\s+from\s*|"
    r"\*\s*as\s+\w+\s+from\s*)?'(?P<path>[^']+)'",
    re.MULTILINE,
)
# Creating, filling or changing elements by hand.
DOM_CODE = [
    re.compile(r"\bdocument\s*\.\s*create\w*"),
    re.compile(
        r"\.\s*(?:append|appendChild|prepend|replaceChildren|replaceWith|insertBefore"
        r"|insertAdjacent\w*|removeChild)\s*\("
    ),
    re.compile(r"\.\s*remove\s*\(\s*\)"),
    re.compile(r"\.\s*(?:innerHTML|outerHTML|textContent|innerText)\s*="),
    re.compile(r"\.\s*(?:setAttribute|removeAttribute|toggleAttribute)\s*\("),
    re.compile(r"\.\s*classList\b"),
    re.compile(r"\.\s*style\s*\.\s*\w+\s*="),
    re.compile(r"\.\s*(?:hidden|disabled|className)\s*=(?!=)"),
]
TOP_LEVEL = re.compile(r"^(?:export\s+)?(?:async\s+)?(?:function|const|let|class)\s+(\w+)", re.M)
COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"`\\])//[^\n]*", re.DOTALL)


def code_of(source: str) -> str:
    """The source without comments (a comment may well say "append")."""
    return COMMENT.sub("", source)


def domain_entries() -> dict[str, str]:
    """folder → the render function domains.js imports from its index.js."""
    source = DOMAINS_JS.read_text(encoding="utf-8")
    return {folder: render for render, folder in DOMAIN_ENTRY.findall(source)}


def imports_of(source: str) -> list[tuple[str, list[str]]]:
    """(path, imported names) of each import and re-export; a bare import names nothing."""
    found = []
    for m in IMPORT.finditer(code_of(source)):
        names = [n.split(" as ")[0].strip() for n in (m["names"] or "").split(",") if n.strip()]
        if m["default"]:
            names.append("default")
        found.append((m["path"], names))
    return found


def top_level_bodies(source: str) -> dict[str, str]:
    """name → the text of each top-level declaration (up to the next one at column 0)."""
    code = code_of(source)
    starts = list(TOP_LEVEL.finditer(code))
    return {
        m[1]: code[m.start() : starts[i + 1].start() if i + 1 < len(starts) else len(code)]
        for i, m in enumerate(starts)
    }


def builds_dom(text: str) -> bool:
    return any(pattern.search(text) for pattern in DOM_CODE)


@cache
def builders_in(path: Path) -> frozenset[str]:
    """The names a module exports that build DOM by hand, directly or through its own helpers
    or the helpers it imports."""
    source = path.read_text(encoding="utf-8")
    bodies = top_level_bodies(source)
    called: set[str] = set()
    for target, names in imports_of(source):
        resolved = (path.parent / target).resolve()
        if target.startswith(".") and resolved.suffix == ".js" and resolved.exists():
            called |= {n for n in names if n in builders_in(resolved)}
    builders = {name for name, body in bodies.items() if builds_dom(body)}
    # A function calling a builder (not a method of that name) builds too, until none is added.
    while True:
        known = builders | called
        more = {
            name
            for name, body in bodies.items()
            if name not in builders and any(re.search(rf"(?<![\w$.]){n}\s*\(", body) for n in known)
        }
        if not more:
            return frozenset(builders)
        builders |= more


def offences(source: str, path: Path, domain_dirs: set[Path]) -> list[str]:
    """What builds DOM by hand in one file of a domain folder."""
    found = []
    for pattern in DOM_CODE:
        for m in pattern.finditer(code_of(source)):
            found.append(f"builds DOM by hand: {m.group(0)!r}")
    for target, names in imports_of(source):
        if not target.startswith("."):
            continue
        module = (path.parent / target).resolve()
        where = module.relative_to(JS) if module.is_relative_to(JS) else module
        if module == JS / "dom.js":
            found.append(f"imports {', '.join(names) or 'from'} from dom.js")
        elif module == JS / "ui" / "html.js" and "element" in names:
            found.append("imports element() from ui/html.js (a bridge for hand-built code)")
        elif module.parent in domain_dirs or module.parent == JS / "ui" or module in HAND_DRAWN:
            continue
        elif module.exists():
            hand = sorted(set(names) & builders_in(module))
            if hand:
                found.append(f"imports {', '.join(hand)} from {where}, which build DOM by hand")
    return found


def domain_dirs() -> set[Path]:
    return {JS / folder for folder in domain_entries()}


def test_the_domain_list_names_each_moved_domain_with_its_folder() -> None:
    # given the sections of js/domains.js that come from a domain folder
    entries = domain_entries()

    # then the domains moved onto components are among them, and each folder exists
    assert set(MOVED) <= set(entries), entries
    for folder in entries:
        assert (JS / folder / "index.js").is_file(), folder


def test_no_domain_folder_builds_the_dom_by_hand() -> None:
    # given every file of every domain folder domains.js lists
    dirs = domain_dirs()
    files = sorted(p for d in dirs for p in d.rglob("*.js"))
    assert len(files) >= 3 * len(dirs)

    # when each is read for hand-built DOM
    found = [
        f"{p.relative_to(REPO)}: {offence}"
        for p in files
        for offence in offences(p.read_text(encoding="utf-8"), p, dirs)
    ]

    # then there is none: the pages are components
    assert found == []


def test_each_domain_entry_mounts_a_component_view() -> None:
    for folder, render in domain_entries().items():
        # given the section's entry, index.js
        source = code_of((JS / folder / "index.js").read_text(encoding="utf-8"))

        # then it exports the render domains.js imports, and shows a view with ui/html.js
        assert re.search(rf"export\s+function\s+{render}\s*\(", source), folder
        ui = [names for target, names in imports_of(source) if target == "../ui/html.js"]
        assert ui and {"mount", "show"} & set(ui[0]), f"{folder}/index.js mounts no view"
        assert "html`" in source, f"{folder}/index.js renders no component"


def test_the_check_finds_hand_built_dom() -> None:
    # given sources written the old way, as if in a domain folder
    path = JS / "roadmap" / "example.js"
    dirs = domain_dirs()
    samples = {
        "import { h, clear } from '../dom.js';": "imports h, clear from dom.js",
        "const box = document.createElement('div');": "document.create",
        "list.append(card);": ".append(",
        "el.textContent = 'Saved.';": ".textContent =",
        "panel.hidden = true;": ".hidden =",
        "import { liveNotice, canEdit } from '../pages/common.js';": "imports liveNotice from",
        "import { progressBar } from '../pages/overview.js';": "imports progressBar from",
        "import { sectionError } from '../pages/section.js';": "imports sectionError from",
        "import { element, html } from '../ui/html.js';": "element()",
    }

    for source, expected in samples.items():
        # when it is checked
        found = offences(source, path, dirs)

        # then the offence is named
        assert any(expected in f for f in found), (source, found)

    # and component code passes
    clean = """import { html } from '../ui/html.js';
import { canEdit, formatDay } from '../pages/common.js';
import { DomNode } from '../ui/slot.js';
import { sparkline } from '../chart.js';
// Not hand-built: the comment says append( and .hidden = only.
export const Row = ({ m }) => html`<li hidden=${m.hidden}>${formatDay(m.day)}</li>`;
"""
    assert offences(clean, path, dirs) == []
