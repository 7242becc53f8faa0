"""Parses a Prometheus exposition with the official Python client's parsers and prints its samples as JSON.

Usage: prometheus-parse.py text|openmetrics < exposition. A parse error exits 1 with the parser's message, so a
test sees exactly what a Prometheus-compatible scraper would refuse.
"""
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text


def encode(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    parse = parse_openmetrics if sys.argv[1] == "openmetrics" else parse_text
    try:
        families = list(parse(sys.stdin.read()))
    except Exception as error:  # the parsers raise ValueError and friends: any of them is a refusal
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    out = []
    for family in families:
        for sample in family.samples:
            out.append(
                {"family": family.name, "type": family.type, "name": sample.name, "labels": sample.labels, "value": encode(sample.value)}
            )
    json.dump(out, sys.stdout)


main()
