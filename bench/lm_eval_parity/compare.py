"""Compares `factory eval --suites capabilities` results (FACTORY_JSON) with lm-eval's logged
samples (LM_EVAL_OUTPUT, its --output_path) document by document: acc and acc_norm must be equal
on every document; the log-likelihoods' largest difference is reported. Exit status 1 on any
difference in acc or acc_norm, or in the documents compared.

  compare.py FACTORY_JSON LM_EVAL_OUTPUT
"""
import glob
import json
import sys


def main(factory_path, lm_eval_folder):
    factory = json.load(open(factory_path, encoding="utf-8"))
    task = factory["tasks"][0]
    ours = task["per_document"]
    samples_file = sorted(glob.glob(f"{lm_eval_folder}/**/samples_factory_parity_*.jsonl", recursive=True))[-1]
    theirs = sorted((json.loads(line) for line in open(samples_file, encoding="utf-8")), key=lambda s: s["doc_id"])
    results_file = sorted(glob.glob(f"{lm_eval_folder}/**/results_*.json", recursive=True))[-1]
    aggregate = json.load(open(results_file, encoding="utf-8"))["results"]["factory_parity"]

    problems = []
    if len(ours) != len(theirs):
        problems.append(f"factory scored {len(ours)} documents, lm-eval {len(theirs)}")
    worst = 0.0
    print(f"{'document':<16} {'acc f/l':>8} {'acc_norm f/l':>13} {'max |Δ loglik|':>15}")
    for mine, sample in zip(ours, theirs):
        if mine["id"] != sample["doc"]["id"]:
            problems.append(f"document {sample['doc_id']}: factory has {mine['id']}, lm-eval {sample['doc']['id']}")
        lls = [float(r[0]) for r in sample["filtered_resps"]]
        delta = max(abs(a - b) for a, b in zip(mine["loglikelihoods"], lls))
        worst = max(worst, delta)
        acc, acc_norm = mine["scores"]["acc"], mine["scores"]["acc_norm"]
        line = f"{mine['id']:<16} {acc:.0f}/{sample['acc']:.0f}{'':>4} {acc_norm:.0f}/{sample['acc_norm']:.0f}{'':>9} {delta:15.2e}"
        if acc != sample["acc"] or acc_norm != sample["acc_norm"]:
            problems.append(f"document {mine['id']}: factory acc {acc} acc_norm {acc_norm}, lm-eval acc {sample['acc']} acc_norm {sample['acc_norm']}")
            line += "  <- differs"
        print(line)
    f_acc, f_norm = task["metrics"]["acc"]["value"], task["metrics"]["acc_norm"]["value"]
    print()
    print(f"documents: {len(ours)} (factory), {len(theirs)} (lm-eval)")
    print(f"acc:      factory {f_acc:.6f} ± {task['metrics']['acc']['stderr']:.4f}   lm-eval {aggregate['acc,none']:.6f} ± {aggregate['acc_stderr,none']:.4f}")
    print(f"acc_norm: factory {f_norm:.6f} ± {task['metrics']['acc_norm']['stderr']:.4f}   lm-eval {aggregate['acc_norm,none']:.6f} ± {aggregate['acc_norm_stderr,none']:.4f}")
    print(f"largest log-likelihood difference: {worst:.3e} nats")
    if abs(f_acc - aggregate["acc,none"]) > 1e-12 or abs(f_norm - aggregate["acc_norm,none"]) > 1e-12:
        problems.append("the task means differ")
    if problems:
        print("\n".join(["DIFFERENT:"] + problems))
        return 1
    print("same acc and acc_norm on every document")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
