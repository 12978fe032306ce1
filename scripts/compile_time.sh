#!/usr/bin/env bash
# Compile time (issue 6, item 4): a crate of 100 models written with #[derive(Model)] (plus the
# build step in build.rs and model::include_schema!(), as in examples/quickstart) against the same
# crate written by hand as diesel::table! + joinable! + allow_tables_to_appear_in_same_query! and
# plain Diesel structs. Both use SQLite (bundled), chrono, and the same 12 columns per model.
#
# Measures, for each crate, the median of $ROUNDS runs (default 3) of:
#   crate   - a clean build of the crate itself (`cargo clean -p`), its dependencies already built
#             (for the derive crate that includes its build script and the build step's run);
#   touch   - an incremental rebuild after editing one model's source without changing the schema (a
#             `//` comment above it, toggled each round: a doc comment is a SQL comment, whose change
#             makes the build step write a migration, which the hand-written crate has no counterpart of);
#   full    - with --full: a build from nothing, dependencies included, each crate in its own
#             empty target folder (one run each: it takes minutes).
# and prints derive / hand-written ratios (target <= 1.10).
#
# Usage: scripts/compile_time.sh [--full]      (env: ROUNDS=3, MODELS=100)
#   OPT_MACROS=1: build proc macros and build scripts optimised ([profile.dev.build-override]
#   opt-level = 3) in both crates, in a separate target folder.
# The crates are generated under target/compile-time/ (never committed) and reused between runs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$repo/target/compile-time"
rounds="${ROUNDS:-3}"
models="${MODELS:-100}"
full=0
[ "${1:-}" = "--full" ] && full=1
export CARGO_TERM_COLOR=never

# ---- generation --------------------------------------------------------------------------------

# The fields of model $1 as Rust (same in both crates); the derive crate adds #[model(..)] lines.
fields() {
  local i=$1 with_attrs=$2 parent=$(( $1 > 0 ? $1 - 1 : 0 ))
  a() { [ "$with_attrs" = 1 ] && printf '    %s\n' "$1" || true; }
  a "#[model(primary_key)]"
  echo "    pub id: i64,"
  if [ "$i" -gt 0 ]; then a "#[model(references = \"item$(printf %03d $parent)(id)\", on_delete = \"cascade\", index)]"; fi
  echo "    pub parent_id: i64,"
  echo "    pub owner_id: Option<i64>,"
  a "#[model(max_length = 200)]"
  echo "    pub name: String,"
  a "#[model(unique, max_length = 64)]"
  echo "    pub code: String,"
  echo "    pub tenant_id: i32,"
  echo "    pub note: Option<String>,"
  a "#[model(default = 0)]"
  echo "    pub amount: i64,"
  echo "    pub ratio: f64,"
  a "#[model(default = false)]"
  echo "    pub active: bool,"
  echo "    pub payload: Vec<u8>,"
  a "#[model(default_sql = \"CURRENT_TIMESTAMP\")]"
  echo "    pub created_at: chrono::NaiveDateTime,"
}

# models.rs of the derive crate; $1 = the `//` comment above model 50 (the one the touch edits).
derive_models() {
  echo "use diesel::prelude::*;"
  echo "use model::Model;"
  for ((i = 0; i < models; i++)); do
    local n; n=$(printf %03d "$i")
    echo
    if [ "$i" = $((models / 2)) ]; then echo "// $1"; fi; echo "/// Model number $i."
    echo "#[derive(Model, Queryable, Selectable, Identifiable, Debug)]"
    echo "#[model(table_name = \"item$n\", index(name, created_at), unique(code, tenant_id))]"
    echo "#[diesel(table_name = item$n)]"
    echo "pub struct Item$n {"
    fields "$i" 1
    echo "}"
  done
}

# schema.rs + models.rs of the hand-written crate, in one file; $1 as above.
hand_models() {
  echo "use diesel::prelude::*;"
  for ((i = 0; i < models; i++)); do
    local n; n=$(printf %03d "$i")
    cat <<EOF

diesel::table! {
    item$n (id) {
        id -> BigInt,
        parent_id -> BigInt,
        owner_id -> Nullable<BigInt>,
        name -> Text,
        code -> Text,
        tenant_id -> Integer,
        note -> Nullable<Text>,
        amount -> BigInt,
        ratio -> Double,
        active -> Bool,
        payload -> Binary,
        created_at -> Timestamp,
    }
}
EOF
  done
  echo
  for ((i = 1; i < models; i++)); do
    printf 'diesel::joinable!(item%03d -> item%03d (parent_id));\n' "$i" $((i - 1))
  done
  echo
  echo "diesel::allow_tables_to_appear_in_same_query!("
  for ((i = 0; i < models; i++)); do printf '    item%03d,\n' "$i"; done
  echo ");"
  for ((i = 0; i < models; i++)); do
    local n; n=$(printf %03d "$i")
    echo
    if [ "$i" = $((models / 2)) ]; then echo "// $1"; fi; echo "/// Model number $i."
    echo "#[derive(Queryable, Selectable, Identifiable, Debug)]"
    echo "#[diesel(table_name = item$n)]"
    echo "pub struct Item$n {"
    fields "$i" 0
    echo "}"
  done
}

manifest() { # $1 = package name, $2 = extra sections
  cat <<EOF
[package]
name = "$1"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
diesel = { version = "2.3.14", default-features = false, features = ["sqlite", "chrono"] }
libsqlite3-sys = { version = "0.38.2", features = ["bundled"] }
chrono = { version = "0.4.45", default-features = false, features = ["clock", "std"] }
$2
EOF
}

generate() {
  mkdir -p "$work/derive/src" "$work/hand/src"
  printf '[workspace]\nmembers = ["derive", "hand"]\nresolver = "2"\n' >"$work/Cargo.toml"
  if [ "${OPT_MACROS:-0}" = 1 ]; then
    printf '\n[profile.dev.build-override]\nopt-level = 3\n' >>"$work/Cargo.toml"
  fi
  [ -f "$work/Cargo.lock" ] || cp "$repo/Cargo.lock" "$work/Cargo.lock"
  manifest ct_derive "model = { path = \"$repo\", features = [\"sqlite\"] }

[build-dependencies]
model = { path = \"$repo\", features = [\"build\"] }

[package.metadata.model]
dialect = \"sqlite\"
models = [\"src/models.rs\"]" >"$work/derive/Cargo.toml"
  printf 'fn main() {\n    model::build::run();\n}\n' >"$work/derive/build.rs"
  printf '//! 100 models with #[derive(Model)].\npub mod models;\nmodel::include_schema!();\n' >"$work/derive/src/lib.rs"
  derive_models "Model number $((models / 2))." >"$work/derive/src/models.rs"
  manifest ct_hand "" >"$work/hand/Cargo.toml"
  printf '//! The same models written by hand.\npub mod models;\n' >"$work/hand/src/lib.rs"
  hand_models "Model number $((models / 2))." >"$work/hand/src/models.rs"
}

# ---- measurement -------------------------------------------------------------------------------

now() { date +%s.%N; }
# seconds of one `cargo build` of package $1 (target folder $2)
build() {
  local t0 t1
  t0=$(now)
  (cd "$work" && CARGO_TARGET_DIR="$2" cargo build -q -p "$1") >/dev/null
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

touch_model() { # $1 = crate dir name, $2 = generator, $3 = round
  "$2" "Model number $((models / 2)), edited in round $3." >"$work/$1/src/models.rs"
}

generate
target="$work/target"
[ "${OPT_MACROS:-0}" = 1 ] && target="$work/target-opt-macros"
echo "warming up: building both crates and their dependencies once ($target)"
(cd "$work" && CARGO_TARGET_DIR="$target" cargo build -q -p ct_derive -p ct_hand)

declare -A crate_t touch_t
for pkg in ct_derive ct_hand; do crate_t[$pkg]=""; touch_t[$pkg]=""; done
for ((r = 1; r <= rounds; r++)); do
  # take turns, so load from other processes hits both alike
  for pkg in ct_derive ct_hand; do
    (cd "$work" && CARGO_TARGET_DIR="$target" cargo clean -q -p "$pkg")
    crate_t[$pkg]+=" $(build "$pkg" "$target")"
    dir=${pkg#ct_}
    gen=derive_models; [ "$dir" = hand ] && gen=hand_models
    touch_model "$dir" "$gen" "$r"
    touch_t[$pkg]+=" $(build "$pkg" "$target")"
  done
  echo "round $r: crate derive${crate_t[ct_derive]} / hand${crate_t[ct_hand]}; touch derive${touch_t[ct_derive]} / hand${touch_t[ct_hand]}"
done

cd_=$(median ${crate_t[ct_derive]}); ch=$(median ${crate_t[ct_hand]})
td=$(median ${touch_t[ct_derive]}); th=$(median ${touch_t[ct_hand]})
echo
echo "compile time, $models models, median of $rounds (seconds)   derive   hand   ratio (target <= 1.10)"
printf 'clean build of the crate (deps built)                    %6.2f %6.2f   %s\n' "$cd_" "$ch" "$(ratio "$cd_" "$ch")"
printf 'incremental, one model edited                            %6.2f %6.2f   %s\n' "$td" "$th" "$(ratio "$td" "$th")"

if [ "$full" = 1 ]; then
  declare -A full_t
  for pkg in ct_derive ct_hand; do
    rm -rf "$work/target-full-$pkg"
    full_t[$pkg]=$(build "$pkg" "$work/target-full-$pkg")
    rm -rf "$work/target-full-$pkg"
  done
  printf 'clean build from nothing (deps included)                 %6.2f %6.2f   %s\n' \
    "${full_t[ct_derive]}" "${full_t[ct_hand]}" "$(ratio "${full_t[ct_derive]}" "${full_t[ct_hand]}")"
fi
