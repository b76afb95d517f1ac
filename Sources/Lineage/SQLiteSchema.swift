import GRDB

/// The lineage database schema, as GRDB migrations (each applied once, in order, in a
/// transaction, so several processes opening a new store at once agree on it).
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE artifacts (
                        digest TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        layout TEXT NOT NULL CHECK (layout IN ('file', 'directory')),
                        size INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        metadata TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX artifacts_by_kind ON artifacts(kind);

                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        name TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
                        config TEXT NOT NULL,
                        config_digest TEXT NOT NULL,
                        seed INTEGER,
                        factory_version TEXT NOT NULL,
                        git_commit TEXT,
                        git_diff_digest TEXT,
                        executable_digest TEXT,
                        host TEXT NOT NULL,
                        started_at REAL NOT NULL,
                        ended_at REAL
                    ) WITHOUT ROWID;
                    CREATE INDEX runs_by_start ON runs(started_at, id);
                    CREATE INDEX runs_by_kind ON runs(kind, started_at);

                    CREATE TABLE run_tags (
                        run_id TEXT NOT NULL REFERENCES runs(id),
                        tag TEXT NOT NULL,
                        PRIMARY KEY (run_id, tag)
                    ) WITHOUT ROWID;
                    CREATE INDEX run_tags_by_tag ON run_tags(tag, run_id);

                    CREATE TABLE edges (
                        run_id TEXT NOT NULL REFERENCES runs(id),
                        artifact TEXT NOT NULL REFERENCES artifacts(digest),
                        direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
                        role TEXT NOT NULL,
                        PRIMARY KEY (run_id, direction, artifact, role)
                    ) WITHOUT ROWID;
                    CREATE INDEX edges_by_artifact ON edges(artifact, direction, run_id);

                    CREATE TABLE metrics (
                        run_id TEXT NOT NULL REFERENCES runs(id),
                        key TEXT NOT NULL,
                        step INTEGER NOT NULL,
                        value REAL,
                        wall_time REAL NOT NULL,
                        PRIMARY KEY (run_id, key, step)
                    ) WITHOUT ROWID;

                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY,
                        run_id TEXT NOT NULL REFERENCES runs(id),
                        kind TEXT NOT NULL,
                        time REAL NOT NULL,
                        step INTEGER,
                        message TEXT NOT NULL,
                        details TEXT NOT NULL
                    );
                    CREATE INDEX events_by_run ON events(run_id, id);
                    """)
        }
        // The process doing a run, so that a run left running by a process that died is noticed.
        migrator.registerMigration("v2-run-process") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN pid INTEGER; ALTER TABLE runs ADD COLUMN process_start TEXT;")
        }
        return migrator
    }
}
