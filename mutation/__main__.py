"""Run mutmut on the domain in a scratch copy, then print the score per area.

    python -m mutation [AREA...]      areas: engine keywords understanding loader lint

mutmut reads its settings from pyproject.toml and copies the project into mutants/.
The settings here are worked out at run time (which test files are marked `domain`,
which areas exist), so the run happens in .mutation/<areas>/ (.mutation/all/ when none
is named), a scratch copy holding only what the domain tests need, with those settings
added to its pyproject.toml. Survivors are listed in survivors.txt there; `mutmut show
NAME` there shows one.
"""

from __future__ import annotations

import os

try:
    import resource  # POSIX only
except ImportError:
    resource = None
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutation"  # one folder per set of areas, so runs of different areas
# (say engine, and understanding) can go on side by side
MUTMUT = Path(sys.executable).parent / "mutmut"
# Each area is one or more path patterns (as mutmut's only_mutate reads them).
AREAS = {
    "engine": ("ivr/engine/*",),
    "keywords": ("ivr/keywords.py",),
    "understanding": ("ivr/understanding/*",),
    "loader": ("ivr/loader/*",),
    "lint": ("ivr/lint/*",),
}
COPIED = ("ivr", "tests", "scripts", "docs", "mutation")
# The seeded fuzz tests prove "never a traceback", not what a reply says, and take most
# of the domain tests' time: left out here, so a run takes minutes.
LEFT_OUT = ("tests/test_robustness.py",)
# The linter's tests lint every fixture, reading every reply the engine can give: under
# mutmut that is most of a minute for each engine or understanding mutant that survives.
# They run only when the linter or the loader is measured; the engine and understanding
# are held to their own tables, so their scores leave out what lint tests would add.
FOR_LINT_ONLY = ("tests/test_lint.py",)
MEMORY_CAP = 4 * 1024**3  # bytes of address space for mutmut and each mutant it runs
KILLED = {"killed", "timeout", "segfault"}  # a hang or a crash is a caught mutant too


def main(args: list[str]) -> int:
    wanted = args or list(AREAS)
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        print(f"Unknown area {', '.join(unknown)}; the areas are {', '.join(AREAS)}.")
        return 2
    areas = [a for a in wanted if any(_exists(p) for p in AREAS[a])]
    for missing in sorted(set(wanted) - set(areas)):
        where = ", ".join(AREAS[missing])
        print(f"({missing}: {where} is not in this checkout; measured without it)")
    tests = domain_tests()
    if not {"lint", "loader"} & set(areas):
        tests = [t for t in tests if t not in FOR_LINT_ONLY]
    work = SCRATCH / ("-".join(areas) if args else "all")
    prepare(work, areas, tests)
    print(f"Mutating {', '.join(areas)} against {len(tests)} domain test files ...", flush=True)
    os.nice(10)  # the machine is shared: mutants run at low priority
    _cap_memory()
    run = subprocess.run([str(MUTMUT), "run", "--max-children", "2"], cwd=work)
    if run.returncode:
        print("mutmut did not finish; see its output above.")
        return run.returncode
    return report(work, areas)


def _cap_memory() -> None:
    """A mutant that loops while it appends (a phrase search that never moves on) grew to
    12 GB before mutmut's CPU timer stopped it. With this cap it runs out of memory
    instead, its tests fail, and it counts as killed; the machine keeps its memory."""
    if resource is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = MEMORY_CAP if hard == resource.RLIM_INFINITY else min(MEMORY_CAP, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _exists(pattern: str) -> bool:
    return any(ROOT.glob(pattern)) if "*" in pattern else (ROOT / pattern).exists()


def domain_tests() -> list[str]:
    """Every test file marked `domain` as a whole (pytestmark), by path."""
    marked = re.compile(r"^pytestmark\s*=.*pytest\.mark\.domain", re.MULTILINE)
    return sorted(
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").glob("test_*.py")
        if marked.search(p.read_text(encoding="utf-8")) and str(p.relative_to(ROOT)) not in LEFT_OUT
    )


def prepare(work: Path, areas: list[str], tests: list[str]) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in COPIED:
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    settings = {
        "source_paths": ["ivr/"],
        "only_mutate": [p for a in areas for p in AREAS[a] if _exists(p)],
        "pytest_add_cli_args_test_selection": ["-m", "domain", *tests],
        "pytest_add_cli_args": ["-p", "mutation.fresh_caches"],
        "also_copy": ["scripts/", "docs/", "mutation/"],
    }
    lines = [f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in values)}]"
             for key, values in settings.items()]  # fmt: skip
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(pyproject + "\n[tool.mutmut]\n" + "\n".join(lines) + "\n")


def report(work: Path, areas: list[str]) -> int:
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"], cwd=work, capture_output=True, text=True
    ).stdout
    found = [line.strip().rsplit(": ", 1) for line in listed.splitlines() if ": " in line]
    counts: dict[str, Counter] = {a: Counter() for a in areas}
    survivors = []
    for name, status in found:
        area = _area_of(name)
        if area in counts:
            counts[area][status] += 1
            if status not in KILLED:
                survivors.append(f"{name}: {status}")
    (work / "survivors.txt").write_text("\n".join(survivors) + "\n")
    print(f"\n{'area':<14}{'mutants':>8}{'killed':>8}{'survived':>9}{'score':>8}")
    total, killed = 0, 0
    for area, seen in counts.items():
        n, k = sum(seen.values()), sum(seen[s] for s in KILLED)
        total, killed = total + n, killed + k
        print(f"{area:<14}{n:>8}{k:>8}{n - k:>9}{_pct(k, n):>8}")
    print(f"{'all':<14}{total:>8}{killed:>8}{total - killed:>9}{_pct(killed, total):>8}")
    print(f"\nSurvivors: {len(survivors)}, listed in {work.relative_to(ROOT)}/survivors.txt")
    return 0


def _area_of(mutant: str) -> str:
    module = mutant.split(".x_")[0].split(".xǁ")[0]  # ivr.lint.safety.x_rule__mutmut_3
    for area, patterns in AREAS.items():
        for pattern in patterns:
            if module == pattern.removesuffix(".py").replace("/", ".") or module.startswith(
                pattern.removesuffix("/*").replace("/", ".") + "."
            ):
                return area
    return ""


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
