"""Reference side of bench/dedup.sh: datatrove's MinHash deduplication on the same corpus, and
the comparison of its removed-duplicate set with the factory's.

  dedup_reference.py run CORPUS_DIR WORK_DIR
      runs datatrove's four MinHash stages (MinhashDedupSignature, MinhashDedupBuckets,
      MinhashDedupCluster, MinhashDedupFilter) in this process, one task at a time, over
      CORPUS_DIR/*/train.jsonl with datatrove's defaults: word 5-grams, 14 buckets × 8 hashes,
      TextNormConfig() (lowercase, punctuation → space, diacritics removed, numbers → 0,
      whitespace collapsed), English word tokenizer (spaCy blank "en"), 64-bit xxhash.
      Prints documents, removed, seconds (wall, total and per stage), cpu_seconds (this process:
      user + system), docs_per_s and docs_per_cpu_s (documents per second per core); writes
      WORK_DIR/removed_ids.txt and WORK_DIR/clustered_ids.txt (every document in a duplicate
      cluster, survivors included; read back from the stage-2 pair files after timing).
  dedup_reference.py compare OURS_REPORT.json WORK_DIR CORPUS_DIR
      the factory's removed set (`factory curate dedup --report`) against datatrove's: Jaccard of
      the removed ids, counts only in each, and the same for documents in duplicate clusters
      (which does not depend on which member each tool keeps)
"""

import json
import os
import shutil
import struct
import sys
import time


def corpus_reader(corpus_dir):
    from datatrove.pipeline.readers import JsonlReader

    return JsonlReader(corpus_dir, glob_pattern="*/train.jsonl", compression=None, text_key="text", id_key="id")


def run(corpus_dir, work):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.writers import JsonlWriter

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    config = MinhashConfig()  # 5-grams, 14 buckets × 8 hashes, default text normalization and hash
    assert (config.n_grams, config.num_buckets, config.hashes_per_bucket) == (5, 14, 8), config
    logs = os.path.join(work, "logs")
    stages = [
        ("signatures", [corpus_reader(corpus_dir), MinhashDedupSignature(output_folder=f"{work}/sigs", config=config)], 1),
        ("buckets", [MinhashDedupBuckets(input_folder=f"{work}/sigs", output_folder=f"{work}/buckets", config=config)],
         config.num_buckets),
        ("cluster", [MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove", config=config)], 1),
        ("filter", [
            corpus_reader(corpus_dir),
            MinhashDedupFilter(input_folder=f"{work}/remove",
                               exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
            JsonlWriter(f"{work}/output", compression=None),
        ], 1),
    ]
    seconds = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    for name, pipeline, tasks in stages:
        stage_started = time.perf_counter()
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=f"{logs}/{name}",
                              skip_completed=False).run()
        seconds[name] = time.perf_counter() - stage_started
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    removed = []
    for name in sorted(os.listdir(f"{work}/removed")):
        with open(os.path.join(work, "removed", name), encoding="utf-8") as handle:
            removed += [json.loads(line)["id"] for line in handle]
    ids = [document.id for document in corpus_reader(corpus_dir).run()]
    clustered = clustered_ids(f"{work}/buckets", ids)
    with open(f"{work}/removed_ids.txt", "w", encoding="utf-8") as handle:
        handle.writelines(identifier + "\n" for identifier in removed)
    with open(f"{work}/clustered_ids.txt", "w", encoding="utf-8") as handle:
        handle.writelines(identifier + "\n" for identifier in sorted(clustered))
    print(f"documents: {len(ids)}")
    print(f"removed: {len(removed)}")
    print(f"seconds: {total:.2f}")
    for name, value in seconds.items():
        print(f"seconds_{name}: {value:.2f}")
    print(f"cpu_seconds: {cpu:.2f}")
    print(f"docs_per_s: {len(ids) / total:.1f}")
    print(f"docs_per_cpu_s: {len(ids) / cpu:.1f}")


def clustered_ids(buckets_dir, ids):
    """Every document in some duplicate pair of the stage-2 `.dups` files (one input rank, so each
    pair is (0, doc_index, 0, doc_index) in reading order)."""
    members = set()
    for name in os.listdir(buckets_dir):
        if not name.endswith(".dups"):
            continue
        with open(os.path.join(buckets_dir, name), "rb") as handle:
            data = handle.read()
        for file_a, doc_a, file_b, doc_b in struct.iter_unpack("<4I", data):
            assert file_a == file_b == 0, "expected one input rank"
            members.add(ids[doc_a])
            members.add(ids[doc_b])
    return members


def compare(ours_report, work, corpus_dir):
    with open(ours_report, encoding="utf-8") as handle:
        report = json.load(handle)
    ours_removed = {removal["id"] for removal in report["removals"]}
    ours_clustered = ours_removed | {removal["survivor"] for removal in report["removals"]}
    with open(f"{work}/removed_ids.txt", encoding="utf-8") as handle:
        theirs_removed = {line.rstrip("\n") for line in handle}
    with open(f"{work}/clustered_ids.txt", encoding="utf-8") as handle:
        theirs_clustered = {line.rstrip("\n") for line in handle}
    exact = sum(1 for removal in report["removals"] if removal["reason"] == "exact")

    def line(label, ours, theirs):
        union = ours | theirs
        jaccard = len(ours & theirs) / len(union) if union else 1.0
        print(f"{label}_ours: {len(ours)}")
        print(f"{label}_theirs: {len(theirs)}")
        print(f"{label}_both: {len(ours & theirs)}")
        print(f"{label}_only_ours: {len(ours - theirs)}")
        print(f"{label}_only_theirs: {len(theirs - ours)}")
        print(f"{label}_jaccard: {jaccard:.4f}")

    print(f"ours_exact: {exact}")
    print(f"ours_fuzzy: {len(ours_removed) - exact}")
    line("removed", ours_removed, theirs_removed)
    line("clustered", ours_clustered, theirs_clustered)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
