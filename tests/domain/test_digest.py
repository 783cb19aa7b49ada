from saferhub.domain.digest import blake3_hex, blake3_of_file

# b3sum of the empty input and of "abc" (the BLAKE3 reference vectors).
EMPTY = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
ABC = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"


def test_bytes_and_file_agree_with_b3sum(tmp_path):
    assert blake3_hex(b"") == EMPTY and blake3_hex(b"abc") == ABC
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert blake3_of_file(path) == ABC
    big = bytes(range(256)) * 40000  # more than one 4 MiB chunk
    path.write_bytes(big)
    assert blake3_of_file(path) == blake3_hex(big)
