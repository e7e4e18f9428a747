"""The house rules of the package layout (README, "Layout"), checked on the source so that they cannot drift:
imports run downhill between the groups, no import cycle, imports at the top of modules (the command line excepted),
no Streamlit outside ess_impact/web/, and no `pages/` folder beside an entry point."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "ess_impact"
# Rank of each group: a module may import modules of its own rank or lower ranks only.
RANKS = {"vocabulary": 0, "store": 1, "intake": 2, "publish": 2, "output": 3, "orchestration": 4, "web": 5, "cli": 6}
ORCHESTRATION = {"registry", "settings_admin", "invitations"}
# The command line loads a subcommand's heavy modules only when that subcommand runs (start-up time of `ess-impact`).
LAZY_ALLOWED = {"ess_impact.cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _group(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "vocabulary"
    if parts[1] in ("store", "intake", "publish", "output", "web"):
        return parts[1]
    if parts[1] == "cli":
        return "cli"
    return "orchestration" if parts[1] in ORCHESTRATION else "vocabulary"


def _resolve(module: str, name: str) -> str:
    candidate = f"{module}.{name}"
    path = ROOT / candidate.replace(".", "/")
    return candidate if path.with_suffix(".py").exists() or path.is_dir() else module


def _imports() -> dict[str, list[tuple[str, int, bool]]]:
    """module -> [(imported ess_impact module, line, at top level)]"""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        out = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ess_impact":
                out += [(_resolve(node.module, a.name), node.lineno, id(node) in top) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                out.append(("relative", node.lineno, id(node) in top))
            elif isinstance(node, ast.Import):
                out += [(a.name, node.lineno, id(node) in top) for a in node.names if a.name.startswith("ess_impact")]
        found[_module_name(path)] = out
    return found


def test_imports_run_downhill():
    uphill = [f"{module}:{line} imports {target}"
              for module, imports in _imports().items() for target, line, _ in imports
              if target != "relative" and RANKS[_group(target)] > RANKS[_group(module)]]
    assert not uphill


def test_intake_and_publish_do_not_import_each_other():
    crossing = [f"{module}:{line} imports {target}" for module, imports in _imports().items()
                for target, line, _ in imports
                if {_group(module), _group(target)} == {"intake", "publish"}]
    assert not crossing


def test_absolute_imports_at_the_top_of_modules():
    wrong = [f"{module}:{line} {target}" for module, imports in _imports().items() for target, line, top in imports
             if target == "relative" or (not top and module not in LAZY_ALLOWED)]
    assert not wrong


def test_no_import_cycle():
    graph = {module: {target for target, _, _ in imports if target in _imports_keys()}
             for module, imports in _imports().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node.rpartition(".")[0] or node == nxt:
                continue  # a module importing its own package's __init__ names
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles


def _imports_keys() -> set[str]:
    return {_module_name(p) for p in PACKAGE.rglob("*.py")}


def test_streamlit_only_in_the_web_package():
    outside = []
    for path in PACKAGE.rglob("*.py"):
        if "web" in path.relative_to(PACKAGE).parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            outside += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] == "streamlit"]
    assert not outside


def test_no_pages_folder_beside_an_entry_point():
    """Streamlit scans a `pages/` folder beside the main script before st.navigation runs: every page in it would be
    offered to every visitor (admin pages included) and the first load would flash "Page not found"."""
    entry_points = [ROOT / "app.py", PACKAGE / "web" / "app.py"]
    assert all(p.exists() for p in entry_points)
    assert not [p for p in entry_points if (p.parent / "pages").exists()]
    router = (PACKAGE / "web" / "router.py").read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(PACKAGE / "web")) for group in ("public", "enterprise", "admin")
                   for p in (PACKAGE / "web" / group).glob("*.py"))
    assert pages and all(f'"{page}"' in router for page in pages)  # every page file is routed, by role folder


def test_pages_link_each_other_by_absolute_path():
    """A page path relative to the entry point differs between `streamlit run app.py` (the checkout) and
    `ess-impact run` (ess_impact/web/app.py): the pages name each other from their own file instead."""
    relative = [f"{path.relative_to(ROOT)}:{number}" for path in (PACKAGE / "web").rglob("*.py")
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if ("page_link(" in line or "switch_page(" in line) and ('"ess_impact/' in line or "'ess_impact/" in line)]
    assert not relative


def test_migration_numbers_are_unique_and_contiguous():
    """Two branches adding the same migration number would skip one on databases already at that version."""
    numbers = sorted(int(p.name.split("_", 1)[0]) for p in (PACKAGE / "sql" / "migrations").glob("*.sql"))
    assert numbers == list(range(1, len(numbers) + 1))
