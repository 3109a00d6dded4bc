"""Schemathesis hooks for scripts/schemathesis/run.sh: a bearer token per request, by role.

FRAVAER_ST_AUTH names a JSON file (scripts/schemathesis/auth.ts) with a token for every role and,
per operation, the roles the access table admits, the furthest-reaching first. Most requests go
as that role, so they pass the gate and reach the handlers; some go as another admitted role, and
some as a role that is not admitted at all, so the refusals (403/404) are exercised too.
"""

import datetime
import json
import os
import random
import re

import schemathesis

with open(os.environ["FRAVAER_ST_AUTH"], encoding="utf-8") as handle:
    AUTH = json.load(handle)
TOKENS: dict = AUTH["tokens"]
OPERATIONS: dict = AUTH["operations"]
_random = random.Random(int(os.environ.get("FRAVAER_ST_SEED", "1")))


def role_for(method: str, path: str) -> str:
    admitted = OPERATIONS.get(f"{method.upper()} {path}") or list(TOKENS)
    draw = _random.random()
    if draw < 0.8 or len(admitted) == len(TOKENS):
        return admitted[0] if draw < 0.7 or len(admitted) == 1 else _random.choice(admitted[1:])
    refused = [role for role in TOKENS if role not in admitted]
    return _random.choice(refused)


@schemathesis.auth()
class RoleTokens:
    def get(self, case, context):
        return TOKENS

    def set(self, case, data, context):
        role = role_for(case.method, case.operation.path)
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data[role]}"}


# Dates: the schema says 2000-01-01 to 2100-12-31, but an opening or an action dated in the future
# is refused (422) by a rule no schema can state. Fuzzed dates mostly lie in the future, so few
# cases would open and the stateful phase would rarely reach the case operations; most such dates
# are moved into the past here (some are left, so the refusal is exercised as well).
TODAY = datetime.date.today()
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _into_past(value):
    if isinstance(value, dict):
        return {key: _into_past(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_into_past(item) for item in value]
    if isinstance(value, str) and DATE.match(value) and value > TODAY.isoformat() and _random.random() < 0.85:
        return (TODAY - datetime.timedelta(days=_random.randrange(0, 400))).isoformat()
    return value


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.method.upper() == "POST" and case.operation.path.startswith("/api/cases") and isinstance(case.body, dict):
        case.body = _into_past(case.body)
