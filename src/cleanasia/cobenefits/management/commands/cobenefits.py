"""`cleanasia cobenefits`: the co-benefits calculation on the command line (stateless, nothing is stored).

    cleanasia cobenefits evaluate FILE.json [--format json|table] [--uncertainty-draws N --seed S]
                                                                    (FILE "-" reads standard input)
    cleanasia cobenefits methods [--format json|table]
    cleanasia cobenefits schema

`evaluate` prints the same result document as `POST /api/v1/cobenefits/evaluate/`; an invalid request exits
non-zero listing every problem as `path: message`. `--uncertainty-draws N` (N > 0) adds the Monte Carlo over the
factors' ranges: the API's `uncertainty` object, or a table of the median and 95 % interval of each total. The
work is done in cobenefits.services and the engine.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from cleanasia.cobenefits import services

FORMATS = ("json", "table")


def _dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


class Command(BaseCommand):
    help = (
        "Co-benefits of a project (GHG and local pollutants, baseline minus project) without storing anything: "
        "`evaluate FILE.json` evaluates one request (FILE - reads standard input) and prints the result as JSON "
        "(the API's document) or a table; `methods` lists the calculation methods and their parameters; `schema` "
        "prints the JSON Schema of a request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="{evaluate,methods,schema}", required=True)

        evaluate = subcommands.add_parser(
            "evaluate",
            help="Evaluate one request and print the result.",
            description="Evaluate one request (see `schema`) and print the result; nothing is stored.",
        )
        evaluate.add_argument("file", metavar="FILE", help="The request as a JSON file; - reads standard input.")
        self._output_options(evaluate, "json: the API's result document; table: totals per gas and pollutant.")
        evaluate.add_argument(
            "--uncertainty-draws",
            type=int,
            default=0,
            metavar="N",
            help=(
                f"Monte Carlo draws over the factors' ranges (0: none, the default; at most "
                f"{services.MAX_UNCERTAINTY_DRAWS}): adds the median and 95 %% interval of each total."
            ),
        )
        evaluate.add_argument(
            "--seed", type=int, default=0, metavar="S", help="Seed of the Monte Carlo (default 0): reproducible."
        )

        methods = subcommands.add_parser(
            "methods",
            help="List the methods and their parameters.",
            description="List the calculation methods with their parameters (unit, default factor, bounds).",
        )
        self._output_options(methods, "json: the engine's catalogue; table: one table of parameters per method.")

        subcommands.add_parser(
            "schema",
            help="Print the JSON Schema of a request.",
            description="Print the JSON Schema (2020-12) of an evaluation request, as the API publishes it.",
        )

    @staticmethod
    def _output_options(parser: CommandParser, format_help: str) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json", help=format_help)
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the table's headings (default: the platform's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['subcommand']}")
        if options.get("language"):
            with translation.override(options["language"]):
                handler(**options)
        else:
            handler(**options)

    def handle_evaluate(
        self, *, file: str, format: str = "json", uncertainty_draws: int = 0, seed: int = 0, **options: Any
    ) -> None:
        try:
            draws, seed = services.uncertainty_options(uncertainty_draws, seed)
        except services.EvaluationError as exc:
            raise CommandError("\n".join(services.error_lines(exc.errors))) from None
        text = self._read(file)
        try:
            document = services.parse_json(text)
            result = services.evaluate_document(document)
            if draws:
                result["uncertainty"] = services.uncertainty_document(document, draws=draws, seed=seed)
        except services.EvaluationError as exc:
            name = _("standard input") if file == "-" else file
            heading = _("%(file)s is not a valid evaluation request:") % {"file": name}
            raise CommandError(
                "\n".join([heading, *(f"  {line}" for line in services.error_lines(exc.errors))])
            ) from None
        if format == "table":
            self.stdout.write(services.format_evaluation_table(result))
            if "uncertainty" in result:
                self.stdout.write(
                    "\n" + services.format_uncertainty_table(result["uncertainty"], gwp_set=result["gwp"]["set"])
                )
        else:
            self.stdout.write(_dumps(result))

    def handle_methods(self, *, format: str = "json", **options: Any) -> None:
        catalogue = services.catalogue()
        self.stdout.write(services.format_methods_table(catalogue) if format == "table" else _dumps(catalogue))

    def handle_schema(self, **options: Any) -> None:
        self.stdout.write(_dumps(services.schema()))

    @staticmethod
    def _read(file: str) -> str:
        if file == "-":
            return sys.stdin.read()
        try:
            with open(file, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}) from exc
