// The catalog's schema, versioned through SQLite's PRAGMA user_version: migration N
// takes a database at version N-1 to N, inside one write transaction, so a process
// that opens an older catalog upgrades it exactly once even when several start together.
// Append a migration to change the schema; never edit one that has shipped.
#pragma once

#include "archml/track/sqlite.h"

namespace archml::track {

// The version a fully migrated catalog has.
int latest_schema_version();

// The database's current PRAGMA user_version.
int schema_version(Connection& connection);

// Applies the migrations after the database's version, up to `target` (tests build older
// catalogs with a smaller target). Throws archml::Error (unsupported) for a catalog
// written by a newer archml, whose schema this one cannot know.
void migrate(Connection& connection, int target = latest_schema_version());

// For a reader, which migrates nothing: throws archml::Error (unsupported) when the
// catalog's schema is not the latest, naming what to do (upgrade archml for a newer one;
// record a job in a writable copy for an older one).
void require_latest_schema(Connection& connection);

}  // namespace archml::track
