"""python -m nlu "TEXT" prints one JSON parse; with no argument, one JSON line per stdin line."""
import json
import sys

from . import parse


def main(argv: list[str]) -> int:
    if argv:
        print(json.dumps(parse(" ".join(argv)), ensure_ascii=False))
        return 0
    out = sys.stdout
    for line in sys.stdin:
        out.write(json.dumps(parse(line.rstrip("\r\n")), ensure_ascii=False) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
