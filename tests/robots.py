"""robots.txt read as RFC 9309 says (groups by product token, `*` and `$` in paths, the
longest match wins, Allow on a tie), to check what urllib.robotparser cannot: wildcards."""

import re


def groups(text):
    """{agent (lower case): [(allow, pattern)]}; consecutive User-agent lines share a group."""
    result, current, in_rules = {}, [], False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        field, value = (part.strip() for part in line.split(":", 1))
        field = field.lower()
        if field == "user-agent":
            if in_rules:
                current, in_rules = [], False
            current.append(value.lower())
            result.setdefault(value.lower(), [])
        elif field in ("allow", "disallow") and current:
            in_rules = True
            for agent in current:
                result[agent].append((field == "allow", value))
    return result


def _matches(pattern, path):
    regex = re.escape(pattern).replace(r"\*", ".*")
    if regex.endswith(r"\$"):
        regex = regex[:-2] + "$"
    return re.match(regex, path) is not None


def allowed(text, agent, path):
    parsed = groups(text)
    rules = parsed.get(agent.lower(), parsed.get("*", []))
    best = None  # (length, allow)
    for allow, pattern in rules:
        if pattern and _matches(pattern, path):
            candidate = (len(pattern), allow)
            if best is None or candidate > best:
                best = candidate
    return True if best is None else best[1]
