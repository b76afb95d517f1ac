"""Inputs of bench/lm_eval_parity.sh.

  prepare.py documents MARKDOWN... OUT.jsonl   training documents: one per paragraph
  prepare.py lm-eval TASK_FILE OUT_FOLDER       lm-eval's view of a factory task file
"""
import json
import sys
from pathlib import Path


def documents(sources, out):
    with open(out, "w", encoding="utf-8") as sink:
        count = 0
        for source in sources:
            for paragraph in Path(source).read_text(encoding="utf-8").split("\n\n"):
                if paragraph.strip():
                    record = {"id": f"{source}#{count}", "text": paragraph.strip(), "domain": "docs", "source": source,
                              "license": "MIT"}
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1


def lm_eval(task_file, folder):
    """The task file's documents without the header line, and a task YAML that scores them as
    lm-eval scores multiple choice: doc_to_text, doc_to_choice and doc_to_target name the
    fields, so lm-eval reads them unchanged (no Jinja rendering, which would drop a trailing
    newline), with the default target delimiter " "."""
    lines = Path(task_file).read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])["header"]
    if header["kind"] != "multiple_choice":
        sys.exit(f"{task_file}: a {header['kind']} task; the parity check takes multiple_choice")
    folder = Path(folder)
    (folder / "documents.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    (folder / "factory_parity.yaml").write_text(
        f"""task: factory_parity
dataset_path: json
dataset_kwargs:
  data_files:
    test: {(folder / 'documents.jsonl').resolve()}
test_split: test
output_type: multiple_choice
doc_to_text: context
doc_to_choice: choices
doc_to_target: gold
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
  - metric: acc_norm
    aggregation: mean
    higher_is_better: true
""", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1] == "documents":
        documents(sys.argv[2:-1], sys.argv[-1])
    elif sys.argv[1] == "lm-eval":
        lm_eval(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
