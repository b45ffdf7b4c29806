# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
#
# Regenerates python_written.safetensors with a hand-rolled writer (Python 3 standard library only) laid
# out like the safetensors library's files: header keys in name order, __metadata__ first, data in a different
# order than the header, header padded with spaces to a multiple of 8 bytes. SafetensorsReaderTest expects
# exactly these tensors:
#   a.f32   F32  [2, 3]  0.5 * i - 1 for i in 0..5
#   b.f16   F16  [4]     1.0, -2.5, 65504.0, 2**-24 (the smallest subnormal)
#   c.bf16  BF16 [2, 2]  1.0, -0.5, 3.140625 and the pattern 0x7149 = 1.5703125 * 2**99
#   d.i64   I64  [3]     -1, 0, 2**40
#   e.empty F32  [0, 4]  no values
#
#   python3 python_written.py
import json
import struct

tensors = [  # in data order
    ('d.i64', 'I64', [3], struct.pack('<3q', -1, 0, 2 ** 40)),
    ('b.f16', 'F16', [4], struct.pack('<4e', 1.0, -2.5, 65504.0, 2.0 ** -24)),
    ('e.empty', 'F32', [0, 4], b''),
    ('a.f32', 'F32', [2, 3], struct.pack('<6f', *[0.5 * i - 1 for i in range(6)])),
    ('c.bf16', 'BF16', [2, 2], struct.pack('<4H', 0x3F80, 0xBF00, 0x4049, 0x7149)),
]
header = {'__metadata__': {'format': 'pt', 'source': 'python stdlib'}}
offset = 0
for name, dtype, shape, data in tensors:
    header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(data)]}
    offset += len(data)
text = json.dumps(header, sort_keys=True, separators=(',', ':')).encode('utf-8')
text += b' ' * (-len(text) % 8)
with open('python_written.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(text)))
    f.write(text)
    for _, _, _, data in tensors:
        f.write(data)
