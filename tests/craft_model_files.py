"""Writes hostile model files for the model-file tests: a valid robustlab-format file made with
torch.save, then copies of it with one thing edited in its pickle (a tensor's size, stride, offset
or element count, its type), in its records (truncated, empty, missing), in its zip structure, or
with hand-made pickles that break the unpickler's stack discipline. Python's torch.load refuses
some of these and silently reads past the end of others; robustlab must refuse every one.

Usage: /usr/bin/python3 craft_model_files.py OUT_DIR   (Debian's python3-torch)
"""
import os
import pickletools
import struct
import sys
import zipfile

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
base_path = os.path.join(out, "valid.pt")
torch.save({"format": "robustlab-state-1",
            "model": {"w": torch.arange(12.).reshape(3, 4), "b": torch.ones(4)}}, base_path)


def read_zip(path):
    z = zipfile.ZipFile(path)
    return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(name, entries, compress=None):
    with zipfile.ZipFile(os.path.join(out, name + ".pt"), "w", zipfile.ZIP_STORED) as z:
        for n, d in entries:
            kind = (compress or {}).get(n, zipfile.ZIP_STORED)
            z.writestr(zipfile.ZipInfo(n), d, compress_type=kind)


def encode_int(v):
    if 0 <= v < 256:
        return b"K" + bytes([v])
    if 0 <= v < 65536:
        return b"M" + struct.pack("<H", v)
    if -2**31 <= v < 2**31:
        return b"J" + struct.pack("<i", v)
    return b"\x8a\x08" + struct.pack("<q", v)


entries = read_zip(base_path)
pickle_name = [n for n, _ in entries if n.endswith("data.pkl")][0]


def edited_pickle(edit):
    """The base's entries with its pickle's opcodes edited by edit(list of [name, arg, bytes])."""
    pkl = dict(entries)[pickle_name]
    ops = list(pickletools.genops(pkl))
    spans = [[op.name, arg, pkl[pos:(ops[i + 1][2] if i + 1 < len(ops) else len(pkl))]]
             for i, (op, arg, pos) in enumerate(ops)]
    edit(spans)
    return [(n, b"".join(s[2] for s in spans) if n == pickle_name else d) for n, d in entries]


# In the base's pickle, tensor w's integers come in this order: storage element count 12, storage
# offset 0, sizes (3, 4), strides (4, 1).
def set_int(k, v):
    def edit(spans):
        ints = [i for i, s in enumerate(spans) if s[0] in ("BININT1", "BININT2", "BININT", "LONG1")]
        spans[ints[k]][2] = encode_int(v)
    return edit


def replace_global(old, new):
    def edit(spans):
        for s in spans:
            if s[0] == "GLOBAL" and s[1] == old:
                s[2] = b"c" + new.replace(" ", "\n").encode() + b"\n"
    return edit


tensor_edits = {
    "size_beyond_storage": set_int(2, 3000),
    "size_negative": set_int(2, -3),
    "size_overflow": set_int(2, 2**62),
    "stride_beyond_storage": set_int(4, 4000),
    "offset_beyond_storage": set_int(1, 100000),
    "offset_negative": set_int(1, -1),
    "numel_beyond_record": set_int(0, 1000000),
    "numel_negative": set_int(0, -1),
    "storage_double_on_float_bytes": replace_global("torch FloatStorage", "torch DoubleStorage"),
    "storage_qint8": replace_global("torch FloatStorage", "torch QInt8Storage"),
}
for name, edit in tensor_edits.items():
    write_zip(name, edited_pickle(edit))

write_zip("record_truncated", [(n, d[:8] if n.endswith("data/0") else d) for n, d in entries])
write_zip("record_empty", [(n, b"" if n.endswith("data/0") else d) for n, d in entries])
write_zip("record_missing", [(n, d) for n, d in entries if not n.endswith("data/1")])

# Hand-made pickles that pop empty stacks, follow stale marks or nest without end.
pickles = {
    "pickle_reduce_on_empty_stack": b"\x80\x02R.",
    "pickle_tuple2_on_empty_stack": b"\x80\x02\x86.",
    "pickle_persistent_id_on_empty_stack": b"\x80\x02Q.",
    "pickle_dict_odd": b"\x80\x02(K\x01d.",
    "pickle_stale_mark": b"\x80\x02K\x01K\x02(\x86d.",
    "pickle_memo_huge": b"\x80\x02K\x01r\xff\xff\xff\x7f.",
    "pickle_string_past_end": b"\x80\x02X\xf0\xff\xff\xff",
    "pickle_global_unterminated": b"\x80\x02ctorch",
    "pickle_no_stop": b"\x80\x02K\x01",
    "pickle_nested_a_million_deep": b"\x80\x02K\x01" + b"\x85" * 1000000 + b".",
    "pickle_os_system": b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00trueR.",
}
for name, pkl in pickles.items():
    write_zip(name, [("x/data.pkl", pkl), ("x/version", b"3\n")])

raw = open(base_path, "rb").read()
open(os.path.join(out, "zip_not_a_zip.pt"), "wb").write(b"this is not a zip file at all\n" * 4)
open(os.path.join(out, "zip_truncated.pt"), "wb").write(raw[: len(raw) // 2])
open(os.path.join(out, "zip_empty.pt"), "wb").write(b"")
open(os.path.join(out, "zip_legacy_pickle.pt"), "wb").write(b"\x80\x02}q\x00.")
write_zip("version_too_new", [(n, b"11\n" if n.endswith("version") else d) for n, d in entries])
write_zip("version_overflow", [(n, b"99999999999999999999999\n" if n.endswith("version") else d) for n, d in entries])

# A deflated record whose headers claim four gigabytes: read naively, a tiny file allocates them.
bomb = os.path.join(out, "zip_deflate_claims_4gb.pt")
write_zip("zip_deflate_claims_4gb", entries, compress={n: zipfile.ZIP_DEFLATED for n, _ in entries if n.endswith("data/0")})
b = bytearray(open(bomb, "rb").read())
target = [n for n, _ in entries if n.endswith("data/0")][0].encode()
for signature, size_at, name_at, length_at in ((b"PK\x01\x02", 24, 46, 28), (b"PK\x03\x04", 22, 30, 26)):
    i = 0
    while (i := b.find(signature, i)) >= 0:
        length = struct.unpack_from("<H", b, i + length_at)[0]
        if bytes(b[i + name_at:i + name_at + length]) == target:
            struct.pack_into("<I", b, i + size_at, 0xFFFFFFF0)
        i += 4
open(bomb, "wb").write(bytes(b))
print(len(os.listdir(out)), "files in", out)
