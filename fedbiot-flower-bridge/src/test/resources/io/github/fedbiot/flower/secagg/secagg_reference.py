"""Reference values of flwr 1.42.0's SecAgg+ primitives for SecAggPrimitivesTest.

Reads {"cases": [{"op": ..., ...}, ...]} on stdin (bytes as hex), writes a JSON list of results on stdout.
"""
import json
import sys

import numpy as np
import Crypto.Protocol.SecretSharing as sss
from cryptography.hazmat.primitives.asymmetric import ec
from flwr.common.secure_aggregation.crypto import shamir
from flwr.common.secure_aggregation.crypto.symmetric_encryption import decrypt, encrypt, generate_shared_key
from flwr.common.secure_aggregation import quantization
from flwr.common.secure_aggregation.secaggplus_utils import (
    pseudo_rand_gen, share_keys_plaintext_concat, share_keys_plaintext_separate)
from flwr.supercore.primitives.asymmetric import (
    bytes_to_private_key, bytes_to_public_key, generate_key_pairs, private_key_to_bytes, public_key_to_bytes)

H = bytes.fromhex


def run(c):
    op = c["op"]
    if op == "prg":
        masks = pseudo_rand_gen(H(c["seed"]), c["num_range"], [tuple(s) for s in c["shapes"]])
        return [m.reshape(-1).tolist() for m in masks]
    if op == "shamir_split":
        coeffs = [H(x) for x in c["coeffs"]]
        orig = sss.rng
        sss.rng = lambda n: coeffs.pop(0)
        try:
            return [s.hex() for _, s in sss.Shamir.split(c["k"], c["n"], H(c["secret"]))]
        finally:
            sss.rng = orig
    if op == "create_shares":
        return [s.hex() for s in shamir.create_shares(H(c["secret"]), c["k"], c["n"])]
    if op == "combine_shares":
        return shamir.combine_shares([H(s) for s in c["shares"]]).hex()
    if op == "keypair":
        sk, pk = generate_key_pairs()
        return {"sk": private_key_to_bytes(sk).hex(), "pk": public_key_to_bytes(pk).hex()}
    if op == "shared_key":
        return generate_shared_key(bytes_to_private_key(H(c["sk"])), bytes_to_public_key(H(c["pk"]))).hex()
    if op == "pk_of_sk":
        return public_key_to_bytes(bytes_to_private_key(H(c["sk"])).public_key()).hex()
    if op == "encrypt":
        return encrypt(H(c["key"]), H(c["plaintext"])).hex()
    if op == "decrypt":
        return decrypt(H(c["key"]), H(c["token"])).hex()
    if op == "plaintext_concat":
        return share_keys_plaintext_concat(int(c["src"]), int(c["dst"]), H(c["b"]), H(c["sk"])).hex()
    if op == "plaintext_separate":
        src, dst, b, sk = share_keys_plaintext_separate(H(c["plaintext"]))
        return [str(src), str(dst), b.hex(), sk.hex()]
    if op == "quantize":
        rand = list(c["rand"])
        orig = quantization.np.random.rand
        quantization.np.random.rand = lambda *shape: np.array(rand[: int(np.prod(shape))]).reshape(shape)
        try:
            arr = np.array(c["values"], dtype=np.float64)
            return quantization.quantize([arr], c["clip"], c["target"])[0].tolist()
        finally:
            quantization.np.random.rand = orig
    raise ValueError("unknown op " + op)


print(json.dumps([run(c) for c in json.load(sys.stdin)["cases"]]))
