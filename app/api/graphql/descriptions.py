"""Descriptions for the GraphQL schema where the code gives none.

A field's own ``description=`` (or a type's) always wins. For the rest, ``describe``
fills descriptions in after the schema is built, in this order:

1. ``SPECIFIC``: ``"Type"``, ``"Type.field"``, ``"Type.field(argument)"`` or
   ``"Enum.VALUE"``, written for that one place;
2. ``FIELDS`` / ``ARGUMENTS``: names that mean the same wherever they occur (``id``,
   ``version``, ``expectedVersion``, ``first``, ``after``, ...);
3. rules for the names the schema's conventions make: ``...Payload``, ``...Input``,
   ``...Filter`` types, ``...Id`` fields, a field named after its object type.

``tests/unit/test_graphql_descriptions.py`` fails on anything left without one (so a
new field needs a description in code or here), and graphql-schema-linter checks the
published SDL (``.ci/graphql-lint``).
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
)

BUILT_IN = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def _words(name: str) -> str:
    """``LedgerEntry`` / ``ledgerEntry`` / ``LEDGER_ENTRY`` -> ``ledger entry``."""
    if name.isupper() or "_" in name:
        return name.replace("_", " ").lower()
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _named(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


FIELDS: dict[str, str] = {
    "id": "The record's id (a UUID, as in REST)",
    "projectId": "The id of the project it belongs to",
    "version": "Increases by one with every change; send it back as `expectedVersion`",
    "createdAt": "When it was created (RFC 3339)",
    "updatedAt": "When it last changed (RFC 3339)",
    "currency": "The project's currency (ISO 4217): every amount on this object is in it",
    "userErrors": "Why the input was refused, one entry per problem; empty on success",
    "expectedVersion": (
        "The version you last read: when the record has changed since, nothing changes and "
        "`userErrors` has VERSION_CONFLICT (omit to skip the check)"
    ),
    "deletedId": "The id of the deleted record (null when refused)",
    "name": "Its name (at most 200 characters)",
    "title": "Its title (at most 200 characters)",
    "description": "Free text (at most 10,000 characters)",
    "note": "Why, in a few words (free text)",
    "owner": "The person who owns it (null while unowned)",
    "ownerId": "The id of the person who owns it",
    "personId": "The person's id",
    "person": "The person",
    "project": "The project",
    "milestone": "The milestone",
    "milestoneId": "The id of the milestone it belongs to",
    "riskId": "The id of the risk",
    "risk": "The risk",
    "email": "Email address (unique per organization for people)",
    "role": "The role, in words",
    "status": "Where it stands in its lifecycle",
    "severity": "How bad it is",
    "kind": "What kind it is",
    "startDate": "The first day",
    "endDate": "The last day",
    "dueDate": "The day it is due",
    "dueOn": "The day it is due",
    "targetEndDate": "The day the project is meant to end",
    "asOf": "The day the figures are counted to (end of that day)",
    "at": "When it happened (RFC 3339)",
    "summary": "The summary, in a few sentences",
    "businessArea": "The business area the project serves",
    "weeklyCapacityHours": "Hours a week the person can work (default 40)",
    "userSub": "The `sub` claim of the person's user account, if they sign in",
    "budget": "The budget total (BAC)",
    "actual": "Actual costs to date",
    "plannedValue": "The planned value (money) the milestone earns when done",
    "forecastFinish": "The forecast finish date (null when it cannot be computed)",
    "cpi": "Cost performance index EV / AC (null without actual cost)",
    "spi": "Schedule performance index EV / PV (null without planned value)",
    "eac": "Estimate at completion BAC / CPI (null without CPI)",
    "probability": "Likelihood level 1 (10%) to 5 (90%)",
    "impact": "Impact level 1 (minor) to 5 (severe)",
    "score": "Probability x impact, 1 to 25",
    "progress": "Progress as a decimal from 0 to 1 (null with nothing to measure)",
    "key": "The project key (2 to 10 characters, A-Z and digits, unique per organization)",
    "resolution": "How it was resolved",
    "completedOn": "The day it was done (set when its status becomes DONE)",
    "acceptanceCriteria": "What it must satisfy to be accepted (free text)",
    "allocationPercent": "Share of the person's week on the project, 1 to 100",
    "target": "The value that means 100 %",
    "unit": "The unit of the values (%, ms, tickets, ...)",
    "writtenAt": "When it was written (RFC 3339)",
    "writtenBy": "The `sub` of who wrote it",
    "createdBy": "The `sub` of who created it",
    "reason": "Why (recorded with the change)",
    "message": "What it means, in words",
    "code": "A stable code for programs",
}

ARGUMENTS: dict[str, str] = {
    "id": "The id (a UUID); a missing or foreign id gives null",
    "input": "The mutation's input",
    "first": "Page forward: at most this many items (1-100, default 50)",
    "after": "Page forward from this cursor (an edge's cursor or `endCursor`)",
    "last": "Page backward: at most this many items just before `before` (1-100)",
    "before": "Page backward from this cursor (an edge's cursor or `startCursor`)",
    "filter": "Only the items that meet every condition given",
    "sort": "The order of the list",
    "asOf": "Count the figures to the end of this day (default: today)",
    "from": "The first day of the range (at most 53 weeks)",
    "to": "The last day of the range",
    "projectId": "The project's id",
    "afterSeq": "Start after this sequence number (0: from the beginning)",
    "q": "Text to look for (case-insensitive)",
    "key": "The project key",
    "status": "Only this status",
    "baseline": "Compare with this baseline number (default: the latest)",
}


def _mutation_inputs(schema: GraphQLSchema) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    mutation = schema.mutation_type
    if mutation is None:
        return found
    for name, field in mutation.fields.items():
        argument = field.args.get("input")
        if argument is not None:
            found.setdefault(_named(argument.type).name, []).append(name)
    return found


def _mutation_payloads(schema: GraphQLSchema) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    mutation = schema.mutation_type
    if mutation is not None:
        for name, field in mutation.fields.items():
            found.setdefault(_named(field.type).name, []).append(name)
    return found


def _type_rule(
    type_: GraphQLNamedType, inputs: dict[str, list[str]], payloads: dict[str, list[str]]
) -> str | None:
    name = type_.name
    if name in payloads:
        used = ", ".join(f"`{m}`" for m in payloads[name])
        return f"What {used} returns: the record, or `userErrors` (then nothing changed)"
    if name in inputs:
        used = ", ".join(f"`{m}`" for m in inputs[name])
        return f"The input of {used}"
    if name.endswith("Filter"):
        return f"Conditions on a list of {_words(name[: -len('Filter')])}s (all given must hold)"
    return None


def _field_rule(field_name: str, field: Any) -> str | None:
    named = _named(field.type)
    if field_name.endswith("Id") and len(field_name) > 2:
        return f"The id of the {_words(field_name[:-2])}"
    if field_name.endswith("Ids"):
        return f"The ids of the {_words(field_name[:-3])}s"
    if isinstance(named, GraphQLObjectType) and _words(field_name) == _words(named.name):
        return f"The {_words(named.name)}"
    return None


def _record_field(schema: GraphQLSchema, type_: GraphQLNamedType, field_name: str) -> str | None:
    if not isinstance(type_, GraphQLInputObjectType):
        return None
    record = _record_of(schema, type_.name)
    field = record.fields.get(field_name) if record is not None else None
    return field.description if field is not None else None


def _filter_rule(field_name: str) -> str:
    return f"Only those whose {_words(field_name.removesuffix('Id'))} is this"


INPUT_VERBS = re.compile(
    r"^(Create|Update|Record|Add|Post|Write|Take|Assess|Decide|CheckIn|Transition)"
)


def _record_of(schema: GraphQLSchema, input_name: str) -> GraphQLObjectType | None:
    """The object type an input creates or changes: ``UpdateRiskInput`` -> ``Risk``."""
    stem = INPUT_VERBS.sub("", input_name.removesuffix("Input"))
    for candidate in (stem, stem.removesuffix("Entry") + "Entry"):
        found = schema.type_map.get(candidate)
        if isinstance(found, GraphQLObjectType):
            return found
    return None


def describe(schema: GraphQLSchema, specific: dict[str, str] | None = None) -> None:
    """Fill in every missing description of ``schema`` (in place)."""
    from app.api.graphql.description_texts import SPECIFIC

    texts = SPECIFIC if specific is None else specific
    inputs, payloads = _mutation_inputs(schema), _mutation_payloads(schema)
    # Objects before inputs: an input's field takes its record's field's description.
    ordered = sorted(
        schema.type_map.items(), key=lambda t: isinstance(t[1], GraphQLInputObjectType)
    )
    for name, type_ in ordered:
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not type_.description:
            type_.description = texts.get(name) or _type_rule(type_, inputs, payloads)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    field.description = (
                        texts.get(f"{name}.{field_name}")
                        or (_filter_rule(field_name) if name.endswith("Filter") else None)
                        or _record_field(schema, type_, field_name)
                        or FIELDS.get(field_name)
                        or _field_rule(field_name, field)
                    )
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        arg.description = texts.get(
                            f"{name}.{field_name}({arg_name})"
                        ) or ARGUMENTS.get(arg_name)
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                if not value.description:
                    value.description = texts.get(f"{name}.{value_name}")


def missing(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field and enum value without a description."""
    found: list[str] = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not type_.description:
            found.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    found.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        found.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            found += [f"{name}.{v}" for v, value in type_.values.items() if not value.description]
    return found
