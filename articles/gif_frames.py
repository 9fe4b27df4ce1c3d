"""Count a GIF's frames by walking its blocks, decoding no pixels (GIF89a, section 17-27)."""

TRAILER, EXTENSION, IMAGE = 0x3B, 0x21, 0x2C


def _skip_sub_blocks(data, at):
    while at < len(data):
        size = data[at]
        at += 1 + size
        if size == 0:
            break
    return at


def count_gif_frames(data):
    """The number of image descriptors in the GIF; a truncated file counts what it holds."""
    if len(data) < 13:
        return 0
    at = 13
    flags = data[10]
    if flags & 0x80:
        at += 3 * (2 ** ((flags & 0x07) + 1))
    frames = 0
    while at < len(data):
        block = data[at]
        if block == TRAILER:
            break
        if block == EXTENSION:
            at = _skip_sub_blocks(data, at + 2)
        elif block == IMAGE:
            frames += 1
            if at + 10 > len(data):
                break
            local = data[at + 9]
            at += 10
            if local & 0x80:
                at += 3 * (2 ** ((local & 0x07) + 1))
            at = _skip_sub_blocks(data, at + 1)  # the LZW minimum code size, then the data
        else:
            break
    return frames
