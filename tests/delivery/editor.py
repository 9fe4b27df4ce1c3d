"""An editor's process: Django set up once, running each change it is sent and committing it.

Changes come from another process than the servers', as in a newsroom, without paying for a
new interpreter and `django.setup()` per change. Each block of code arrives as one JSON line;
the answer is one line, "ok" or the error.
"""

import json
import sys
import traceback


def main():
    import django

    django.setup()
    namespace = {}
    for line in sys.stdin:
        try:
            exec(json.loads(line), namespace)  # noqa: S102 - the test's own code
        except Exception:
            print(json.dumps(traceback.format_exc()), flush=True)
        else:
            print(json.dumps("ok"), flush=True)


if __name__ == "__main__":
    main()
