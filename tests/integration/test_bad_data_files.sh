#!/usr/bin/env bash
# Corrupt user data files (`npy` dataset of the ood suite): `shardbench run`
# validates them once at planning and exits 2 naming the file and value,
# without creating a database, on one rank and under mpirun.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# i4 V...: the little-endian int32 bytes of each V, as printf escapes.
i4() {
  local v
  for v; do
    printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $(((v >> 8) & 255)) $(((v >> 16) & 255)) $(((v >> 24) & 255))
  done
}

# npy FILE SHAPE V...: a version 1.0 '<i4' .npy file (header written by hand).
npy() {
  local file=$1 shape=$2
  shift 2
  local header="{'descr': '<i4', 'fortran_order': False, 'shape': $shape, }"
  while (( (10 + ${#header} + 1) % 64 )); do header+=" "; done
  header+=$'\n'
  printf '\x93NUMPY\x01\x00' > "$file"
  printf "\\x$(printf %02x ${#header})\\x00" >> "$file"
  printf '%s' "$header" >> "$file"
  printf "$(i4 "$@")" >> "$file"
}

# good_folder DIR: 2 classes on one feature, 4 train / 4 test rows, one OOD set.
good_folder() {
  rm -rf "$1"
  mkdir -p "$1"
  npy "$1/id_train_features.npy" "(4, 1)" 0 1 10 11
  npy "$1/id_train_labels.npy" "(4,)" 0 0 1 1
  npy "$1/id_test_features.npy" "(4, 1)" 0 2 9 12
  npy "$1/id_test_labels.npy" "(4,)" 0 0 1 1
  npy "$1/ood_remote_features.npy" "(2, 1)" 50 60
}

config() {
  printf 'suite = "ood"\nseeds = 2\n\n[[datasets]]\nname = "npy"\ndir = "%s"\n\n[[methods]]\nname = "msp"\n' "$1"
}

say "a valid folder first (it must work, or the cases below prove nothing)"
good_folder good
config "$WORK/good" > good.toml
run_cmd good "$SB" run good.toml --db good.sqlite
check_rc "valid npy folder" 0 good
check_eq "cells of the valid folder" 2 "$(count_cells good.sqlite)"

# expect_bad NAME FILE-IN-MESSAGE STDERR-REGEX: runs bad/NAME, expects exit 2.
expect_bad() {
  local name=$1 file=$2 regex=$3
  config "$WORK/$name" > "$name.toml"
  rm -f "$name".sqlite*
  run_cmd "$name" "$SB" run "$name.toml" --db "$name.sqlite"
  check_rc "$name" 2 "$name"
  check_file_contains "$name: stderr names $file" "$name.err" "$WORK/$name/$file"
  check_file_contains "$name: stderr says /$regex/" "$name.err" "$regex"
  check_true "$name: no database created" '! compgen -G "$name.sqlite*" >/dev/null'
}

say "a label far beyond the class count (would fit a 131075-class model)"
good_folder huge_label
npy huge_label/id_train_labels.npy "(4,)" 0 0 131074 1
expect_bad huge_label id_train_labels.npy "label 131074 at index 2 is out of range"

say "a negative dimension"
good_folder negative_shape
npy negative_shape/ood_remote_features.npy "(-200, 1)" 50 60
expect_bad negative_shape ood_remote_features.npy "shape.*dimension 0 is -200, negative"

say "a 20-byte .npy v2 whose header claims 4 GB"
good_folder huge_header
printf '\x93NUMPY\x02\x00\xf0\xff\xff\xff{"descr"' > huge_header/id_test_features.npy
expect_bad huge_header id_test_features.npy "header length 4294967280 exceeds the file's 20 bytes"

say "a non-numeric dimension"
good_folder text_shape
npy text_shape/id_test_features.npy "(four, 1)" 0 2 9 12
expect_bad text_shape id_test_features.npy "dimension 0 is 'four', not an integer"

say "an OOD set named like a group (its metrics would clash with the group means)"
good_folder group_name
npy group_name/ood_far_features.npy "(2, 1)" 50 60
expect_bad group_name ood_far_features.npy "OOD set name 'far' is reserved"

say "under mpirun: rank 0 reports, every rank exits 2, no database"
run_cmd mpi "${MPIRUN[@]}" -n 2 "$SB" run huge_label.toml --db mpi.sqlite
check_rc "huge label under mpirun -n 2" 2 mpi
check_file_contains "mpi: stderr names the labels file" mpi.err "id_train_labels.npy"
check_true "mpi: no database created" '! compgen -G "mpi.sqlite*" >/dev/null'

finish
