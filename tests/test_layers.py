"""Layering: ``keel/`` is the bottom layer, importing nothing above it; ``cli/`` the top, imported by none."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# The packages built on top of keel/; importing one of them from keel/ would make the bottom depend on the top.
ABOVE_KEEL = frozenset(
    {"api", "domain", "db", "workflows", "activities", "workers", "adapters", "cli", "web"}
)


def imported_packages(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in ``source``, nested and type-checking ones too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def upward_imports(folder: Path) -> list[str]:
    return [
        f"{path.relative_to(folder.parent)}:{line} imports {package}"
        for path in sorted(folder.rglob("*.py"))
        for line, package in imported_packages(path.read_text(), str(path))
        if package in ABOVE_KEEL
    ]


def test_keel_imports_nothing_above_it():
    assert (ROOT / "keel" / "settings.py").exists()  # the scan below looks at the real package
    assert upward_imports(ROOT / "keel") == []


def test_nothing_below_the_command_line_imports_it():
    """cli/ is the top layer: the application's packages never reach up into it."""
    packages = ("keel", "api", "domain", "db", "workflows", "activities", "workers", "adapters", "web")
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in packages
        if (ROOT / package).is_dir()
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in imported_packages(path.read_text(), str(path))
        if name == "cli"
    ]
    assert (ROOT / "cli" / "main.py").exists()
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from api.app import serve",
        "import domain.errors",
        "def f():\n    from workflows.dsl import DslWorkflow\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from db.models import Tenant\n",
        "import os, cli.main",
        "from web import routes",
    ],
)
def test_an_upward_import_is_found_wherever_it_is_written(source: str, tmp_path: Path):
    package = tmp_path / "keel"
    package.mkdir()
    (package / "module.py").write_text(source)
    assert len(upward_imports(package)) == 1


def test_imports_of_the_core_and_third_parties_are_allowed():
    source = "import json\nfrom keel.settings import Settings\nfrom temporalio.client import Client\nfrom . import x\n"
    assert [package for _, package in imported_packages(source) if package in ABOVE_KEEL] == []
    assert {package for _, package in imported_packages(source)} == {"json", "keel", "temporalio"}


def imports_of_routers(folder: Path) -> list[str]:
    """Each import, in a router module under ``folder``, of another router module (absolute or relative)."""
    found: list[str] = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level > 0:
                names = ["api.routers"]  # a sibling, whatever it names
            elif isinstance(node, ast.ImportFrom) and node.module == "api":
                names = [f"api.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            if any(name == "api.routers" or name.startswith("api.routers.") for name in names):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_router_imports_another_router():
    """What routers share (Cursor, Limit, IfMatch, Ctx...) lives in api/deps.py, not in a router."""
    assert (ROOT / "api" / "routers" / "identity.py").exists()
    assert imports_of_routers(ROOT / "api" / "routers") == []


@pytest.mark.parametrize(
    "source",
    [
        "from api.routers.identity import Cursor, Limit",
        "from api.routers import identity",
        "import api.routers.tasks",
        "from api import routers",
        "from .identity import Cursor",
        "from . import identity",
        "def f():\n    from api.routers.tasks import router\n",
    ],
)
def test_an_import_of_a_router_is_found_wherever_it_is_written(source: str, tmp_path: Path):
    (tmp_path / "module.py").write_text(source)
    assert len(imports_of_routers(tmp_path)) == 1


def test_a_router_may_import_the_shared_api_pieces(tmp_path: Path):
    (tmp_path / "module.py").write_text(
        "from api.deps import Cursor, Limit\nfrom api import envelope\nimport api.etag\n"
    )
    assert imports_of_routers(tmp_path) == []


# -- domain packages ------------------------------------------------------------------------------
DOMAIN = ROOT / "domain"


def is_package(folder: Path) -> bool:
    return folder.is_dir() and (folder / "__init__.py").exists()


def leaf_packages(top: Path) -> list[Path]:
    """The packages under ``top`` that hold no package of their own (``scheduling`` nests, its parts are leaves)."""
    packages = [folder for folder in sorted(top.rglob("*")) if is_package(folder)]
    return [p for p in packages if not any(is_package(child) for child in p.iterdir())]


def package_imports(top: Path) -> dict[str, set[str]]:
    """Which other packages under ``top`` each package imports (dotted names), nested imports included."""
    base = top.parent
    found: dict[str, set[str]] = {}
    for path in sorted(top.rglob("*.py")):
        here = ".".join(path.parent.relative_to(base).parts)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                target = base.joinpath(*name.split("."))
                if is_package(target):
                    package = name
                elif target.with_suffix(".py").exists():
                    package = name.rpartition(".")[0]
                else:
                    continue
                if package != here and package.startswith(f"{top.name}."):
                    found.setdefault(here, set()).add(package)
    return found


def mutual_imports(top: Path) -> list[str]:
    graph = package_imports(top)
    return sorted(
        f"{a} <-> {b}" for a, targets in graph.items() for b in targets if a < b and a in graph.get(b, ())
    )


def test_no_two_domain_packages_import_each_other():
    """deliveries sends what notifications templates; who receives is identity's (``identity/recipients.py``)."""
    graph = package_imports(DOMAIN)
    assert "domain.notifications" in graph["domain.deliveries"]  # the scan sees the real imports
    assert "domain.deliveries" not in graph.get("domain.notifications", set())
    assert mutual_imports(DOMAIN) == []


def test_a_loop_between_two_packages_is_found_even_inside_a_function(tmp_path: Path):
    top = tmp_path / "domain"
    for name, source in {
        "deliveries": "from domain.notifications import templates\n",
        "notifications": "def notify():\n    from domain.deliveries import service\n",
    }.items():
        (top / name).mkdir(parents=True)
        (top / "__init__.py").write_text("")
        (top / name / "__init__.py").write_text("")
        (top / name / "service.py").write_text(source)
    (top / "notifications" / "templates.py").write_text("")
    assert mutual_imports(top) == ["domain.deliveries <-> domain.notifications"]


def test_every_leaf_domain_package_has_a_service_and_its_schemas():
    leaves = leaf_packages(DOMAIN)
    assert DOMAIN / "scheduling" / "bookings" in leaves and DOMAIN / "scheduling" not in leaves
    missing = [
        f"{package.relative_to(ROOT)}/{name}"
        for package in leaves
        for name in ("service.py", "schemas.py")
        if not (package / name).exists()
    ]
    assert missing == []


def service_or_database_imports(folder: Path) -> list[str]:
    """Imports of ``db`` or of a domain ``service`` module: what a deterministic workflow must not reach."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            bad = [
                n
                for n in names
                if n.split(".")[0] == "db" or (n.startswith("domain.") and "service" in n.split("."))
            ]
            if bad:
                found.append(f"{path.relative_to(folder.parent)}:{node.lineno} imports {bad[-1]}")
    return found


def test_workflows_import_no_database_and_no_domain_service():
    """Workflows take the pure values of ``schemas.py`` (and the interpreter's pure helpers), never a service."""
    assert (ROOT / "workflows" / "booking.py").exists()
    assert service_or_database_imports(ROOT / "workflows") == []


@pytest.mark.parametrize(
    "source",
    [
        "from domain.scheduling.calendars.service import CalendarSyncIn\n",
        "from domain.scheduling.bookings import service as bookings\n",
        "def f():\n    from db.models import Booking\n",
        "import db.session\n",
    ],
)
def test_a_workflow_reaching_a_service_is_found(source: str, tmp_path: Path):
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows" / "flow.py").write_text(source)
    assert len(service_or_database_imports(tmp_path / "workflows")) == 1


# The pure helpers a workflow may import beside the packages' schemas.py: the definition model and
# its expression evaluator (the interpreter runs them), and the value types those use.
WORKFLOW_HELPERS = frozenset(
    {
        "domain.definitions.expression_limits",
        "domain.definitions.expressions",
        "domain.definitions.model",
        "domain.durations",
        "domain.instants",
        "domain.money",
    }
)


def test_what_the_workflows_import_from_the_domain_is_pure_values():
    """workers/main.py passes the whole ``domain`` package through the sandbox (naming only the value
    modules re-imports their parent packages on every run, measurably slower); that is sound only
    while loading the workflows loads nothing but schemas and pure helpers: no db/, no SQLAlchemy."""
    probe = (
        "import importlib, json, pathlib, sys\n"
        "for path in sorted(pathlib.Path('workflows').glob('*.py')):\n"
        "    importlib.import_module(f'workflows.{path.stem}')\n"
        "print(json.dumps(sorted(n for n, m in sys.modules.items() if n.split('.')[0] in ('domain', 'db', 'sqlalchemy')"
        " and not (getattr(m, '__file__', '') or '').endswith('__init__.py'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    imported = json.loads(out.stdout)
    assert "domain.scheduling.bookings.schemas" in imported  # the probe sees the workflows' real imports
    assert [name for name in imported if not name.endswith(".schemas") and name not in WORKFLOW_HELPERS] == []
