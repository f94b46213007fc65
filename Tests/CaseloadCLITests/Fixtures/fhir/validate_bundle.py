"""Validates a `caseload gp-summary --format fhir` file with the independent fhir.resources
models (R4B, the closest release that package ships to R4). Exits non-zero on any error.

The models check element names, types, formats (dates), cardinality and required elements;
they do not check codes, so this also checks the status codes of the required bindings, and
what a document Bundle must have: type document, an identifier and a timestamp, the
Composition first, every fullUrl a urn:uuid, and every reference resolving to an entry of the
Bundle. It first proves the validator can fail, on a copy missing a required element.
"""
import copy
import json
import sys

from fhir.resources.R4B.bundle import Bundle


def validate(data):
    bundle = Bundle.model_validate(data)
    problems = []
    if bundle.type != "document":
        problems.append(f"type is {bundle.type}, not document")
    if bundle.identifier is None or bundle.timestamp is None:
        problems.append("a document Bundle needs an identifier and a timestamp")
    entries = bundle.entry or []
    if not entries or entries[0].resource.get_resource_type() != "Composition":
        problems.append("the first entry is not the Composition")
    required_status = {
        "Composition": {"preliminary", "final", "amended", "entered-in-error"},
        "Observation": {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"},
        "Procedure": {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"},
    }
    for e in entries:
        kind = e.resource.get_resource_type()
        if kind in required_status and e.resource.status not in required_status[kind]:
            problems.append(f"{kind} status {e.resource.status!r} is not in its required value set")
    urls = set()
    for e in entries:
        if not (e.fullUrl or "").startswith("urn:uuid:"):
            problems.append(f"fullUrl {e.fullUrl!r} is not a urn:uuid")
        urls.add(e.fullUrl)
    if len(urls) != len(entries):
        problems.append("two entries share a fullUrl")

    def references(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "reference" and isinstance(v, str):
                    yield v
                else:
                    yield from references(v)
        elif isinstance(node, list):
            for v in node:
                yield from references(v)

    for ref in references(data):
        if ref not in urls:
            problems.append(f"reference {ref} is not in the Bundle")
    return problems


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    broken = copy.deepcopy(data)
    del broken["entry"][0]["resource"]["status"]
    try:
        Bundle.model_validate(broken)
        print("the validator accepted a Composition without a status: it is not checking", file=sys.stderr)
        return 2
    except Exception:
        pass
    try:
        problems = validate(data)
    except Exception as error:  # pydantic's ValidationError lists every failing element
        print(f"invalid: {error}", file=sys.stderr)
        return 1
    if problems:
        print("invalid: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"valid R4B document Bundle with {len(data['entry'])} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
