#!/usr/bin/env python3
"""Checks the module layering of DESIGN.md section 2 on the package and on the sources.

A module may import only modules of its own layer or of the layers listed before it. The rule is
checked twice: on the target dependencies `swift package dump-package` reports, and on the
`import` lines of every Swift file under Sources/ (so an import the manifest happens to allow
through another path is caught too). Prints each violation and exits 1 when there is one.
"""
import json
import pathlib
import re
import subprocess
import sys

LAYERS = [
    ("base", ["CBLAS", "CLAPACK", "CZlib", "CKernels", "FactoryCore", "FactoryNumerics", "Tensors"]),
    ("data", ["Documents", "Corpus", "Curation", "Tokenization", "Shards"]),
    ("model", ["Models", "Training", "Evaluation", "Inference"]),
    ("process", ["Mixing", "Reinforcement", "Execution"]),
    ("record", ["Lineage", "Provenance"]),
    ("app", ["Runs", "Pipeline", "Reports", "Server", "FactoryCLI"]),
]
RANK = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}
LAYER_NAME = {module: name for name, modules in LAYERS for module in modules}


def main() -> int:
    root = pathlib.Path(__file__).resolve().parent.parent
    package = json.loads(subprocess.run(
        ["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)
    targets = [t for t in package["targets"] if t["type"] in ("regular", "executable", "system")]
    problems = []
    for target in targets:
        name = target["name"]
        if name not in RANK:
            problems.append(f"Package.swift: target {name} is in no layer (add it to scripts/check_layers.py and the README table)")
            continue
        for dependency in target.get("dependencies", []):
            used = dependency.get("byName", [None])[0]
            if used in RANK and RANK[used] > RANK[name]:
                problems.append(f"Package.swift: {name} ({LAYER_NAME[name]}) depends on {used} ({LAYER_NAME[used]})")
    importing = re.compile(r"^\s*(?:@testable\s+|@_exported\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?(\w+)", re.M)
    for target in targets:
        name = target["name"]
        folder = root / "Sources" / name
        for source in sorted(folder.rglob("*.swift")) if name in RANK else []:
            for used in importing.findall(source.read_text(encoding="utf-8")):
                if used in RANK and RANK[used] > RANK[name]:
                    path = source.relative_to(root)
                    problems.append(f"{path}: {name} ({LAYER_NAME[name]}) imports {used} ({LAYER_NAME[used]})")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layering violation(s); see README.md, 'Modules'")
        return 1
    print(f"layering: {len(targets)} targets follow the rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
