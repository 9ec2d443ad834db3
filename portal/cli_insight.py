"""``flask --app wsgi insight ...``: score the model on interchange files, train it now,
and list the records most like one (docs/insight.md). Nothing here uses the network."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback

insight_cli = AppGroup("insight", help="Suggested themes and teams, and similar past cases.")


@insight_cli.command("evaluate")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Interchange file (JSON Lines) to learn from.")
@click.option("--test", "test_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Interchange file to score.")
def evaluate_command(train_path: str, test_path: str) -> None:
    """Train on one file, score another; the last line is the scores as JSON."""
    from portal.services.insight.evaluation import evaluate, read_examples

    train, test = read_examples(train_path), read_examples(test_path)
    click.echo(f"learning from {len(train)} records, scoring {len(test)}")
    click.echo(json.dumps(evaluate(train, test), sort_keys=True))


@insight_cli.command("train")
def train_command() -> None:
    """Train the model now on the closed records, as the worker does each night."""
    from portal.services.insight import training

    about = training.train(current_app.config["INSIGHT_PATH"], current_app.config["INSIGHT_MIN_RECORDS"])
    click.echo(training.describe(about))


@insight_cli.command("similar")
@click.argument("reference")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
def similar_command(reference: str, limit: int) -> None:
    """The references of the earlier records most like REFERENCE, most similar first."""
    from portal.services.insight import similar

    record = db.session.scalar(select(Feedback).where(Feedback.reference == reference))
    if record is None:
        raise click.ClickException(f"No record has the reference {reference}.")
    for case in similar.similar_cases(record, current_app.config["INSIGHT_PATH"], limit=limit):
        click.echo(case.reference)
