"""A deterministic, seeded generator of large synthetic corpora shaped like the real dataset.

    python benchmarks/generate.py --statements 10000 --out benchmarks/.corpus/10k

writes, under OUT:

* ``yaml/``  a dataset folder: dataset.yaml, actors.yaml, proposals.yaml, and one file per document
  in ``documents/`` and ``statements/`` (as a real corpus would be split);
* ``json/``  the same dataset with every file as JSON;
* ``sources/`` the generated text of every document, which the anchors point into.

Documents hold about 50 statements each; actors and proposals are shared across documents; every
record has anchors that really match its document's text (the corpus validates clean).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

WORDS = [
    "the",
    "state",
    "leavers",
    "tax",
    "budget",
    "citizens",
    "country",
    "law",
    "constitution",
    "deputy",
    "senator",
    "minister",
    "duma",
    "abroad",
    "remote",
    "work",
    "passport",
    "property",
    "return",
    "emigrants",
    "security",
    "economy",
    "policy",
    "measure",
    "rights",
    "court",
    "entry",
    "ban",
    "penalty",
    "debate",
    "government",
    "authorities",
    "party",
    "committee",
    "council",
    "specialists",
]
KINDS = ("direct-quote", "partial-quote", "paraphrase", "editorial")
STANCES = ("supports", "opposes", "mixed", "neutral")
CATEGORIES = ("taxation", "benefits", "citizenship", "property", "criminal-law", "persuasion")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Text:
    """A document text being written, handing out anchors for the spans added to it."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def value(self) -> str:
        return "".join(self.parts)


def anchor(text: str, document: str, start: int, end: int) -> dict[str, Any]:
    return {
        "document": document,
        "start": start,
        "end": end,
        "exact": text[start:end],
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[end : end + 32],
    }


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def generate(statements: int, seed: int = 1, per_document: int = 50) -> dict[str, Any]:
    """The corpus as plain data: metadata, collections by document, and texts."""
    rng = random.Random(seed)
    n_docs = max(1, statements // per_document)
    n_actors = max(10, statements // 20)
    n_proposals = max(5, statements // 100)
    docs = [f"doc-{i:06d}" for i in range(n_docs)]
    texts = {d: Text(d) for d in docs}
    spans: dict[str, list[tuple[str, int, int, int]]] = {}  # (collection, index, start, end) per text

    actors: list[dict[str, Any]] = []
    for i in range(n_actors):
        doc = docs[i % n_docs]
        name = f"Actor {i:06d} {rng.choice(WORDS).capitalize()}"
        start, end = texts[doc].add(f"{name} is named here. ")
        person = i % 3 != 0
        record: dict[str, Any] = {
            "id": f"actor-{i:06d}",
            "type": "person" if person else "organisation",
            "name": name,
        }
        if not person:
            record["kind"] = "party"
        record["aliases"] = [{"name": name}]
        if person:
            record["positions"] = []
        spans.setdefault(doc, []).append(("actors", i, start, end))
        actors.append(record)
    proposals: list[dict[str, Any]] = []
    for i in range(n_proposals):
        doc = docs[i % n_docs]
        title = f"Proposal {i:05d} on {rng.choice(WORDS)}"
        start, end = texts[doc].add(f"{title} was put forward. ")
        proposals.append(
            {
                "id": f"proposal-{i:05d}",
                "title": title,
                "description": sentence(rng, 12) + ".",
                "category": rng.choice(CATEGORIES),
                "proposed_by": [f"actor-{rng.randrange(n_actors):06d}"],
                "status": "proposed",
            }
        )
        spans.setdefault(doc, []).append(("proposals", i, start, end))

    documents: list[dict[str, Any]] = []
    statement_files: dict[str, list[dict[str, Any]]] = {}
    number = 0
    for d_index, doc in enumerate(docs):
        text = texts[doc]
        records: list[dict[str, Any]] = []
        count = per_document if d_index < n_docs - 1 else statements - per_document * (n_docs - 1)
        for _ in range(count):
            kind = rng.choice(KINDS)
            speaker = "publisher" if kind == "editorial" else f"actor-{rng.randrange(n_actors):06d}"
            lead = f"{sentence(rng, 6)} said: "
            quote = sentence(rng, rng.randint(8, 30)) + "."
            if kind == "partial-quote":  # a fragment, in lower case, as the kind rule reads one (DD332)
                quote = quote.lower()
            start, _ = text.add(lead)
            q_start, q_end = text.add('"' + quote + '"')
            _, end = text.add(f"[{1 + number % 3}]\n\n")
            statement: dict[str, Any] = {
                "id": f"statement-{number:07d}",
                "document": doc,
                "speaker": speaker,
                "kind": kind,
                "summary": sentence(rng, 14) + ".",
                "quotes": [(q_start + 1, q_end - 1)] if kind in ("direct-quote", "partial-quote") else [],
                "footnotes": [1 + number % 3],
                "stances": [
                    {"proposal": f"proposal-{p:05d}", "stance": rng.choice(STANCES)}
                    for p in sorted(rng.sample(range(n_proposals), rng.randint(0, 2)))
                ],
                "responds_to": [records[-1]["id"]] if records and rng.random() < 0.2 else [],
                "targets": [f"actor-{rng.randrange(n_actors):06d}"] if rng.random() < 0.3 else [],
                "anchors": [(start, end - len(f"[{1 + number % 3}]\n\n"))],
            }
            records.append(statement)
            number += 1
        footnotes: list[dict[str, Any]] = []
        for n in (1, 2, 3):
            month, day = rng.randrange(12), rng.randint(1, 28)
            printed = f"{MONTHS[month]} {day}, 2022"
            line = f"[{n}], {printed}."
            start, end = text.add(line + "\n")
            footnotes.append(
                {
                    "number": n,
                    "printed": line,
                    "dates": [{"printed": printed, "date": f"2022-{month + 1:02d}-{day:02d}"}],
                    "span": (start, end - 1),
                }
            )
        title_start, title_end = 0, 0
        value = text.value()
        title = value[:40].strip() or doc
        title_end = len(title)
        for r in records:
            r["quotes"] = [anchor(value, doc, s, e) for s, e in r["quotes"]]
            r["anchors"] = [anchor(value, doc, s, e) for s, e in r["anchors"]]
        for f in footnotes:
            f["anchor"] = anchor(value, doc, *f.pop("span"))
        for collection, index, s, e in spans.get(doc, []):
            target = actors if collection == "actors" else proposals
            target[index]["anchors"] = [anchor(value, doc, s, e)]
        documents.append(
            {
                "id": doc,
                "title": title,
                "publisher": "publisher",
                "series": "Synthetic Dispatch",
                "number": str(d_index + 1),
                "published": "2023-01-13",
                "language": "en",
                "sha256": hashlib.sha256(value.encode("utf-8")).hexdigest(),
                "length": len(value),
                "footnotes": footnotes,
                "anchors": [anchor(value, doc, title_start, title_end)],
            }
        )
        statement_files[doc] = records
    first = texts[docs[0]].value()
    publisher = {
        "id": "publisher",
        "type": "organisation",
        "name": "The publisher",
        "kind": "publisher",
        "aliases": [{"name": first[:10].strip() or "Publisher"}],
        "anchors": [anchor(first, docs[0], 0, 10)],
    }
    publisher["aliases"] = [{"name": first[0:10]}]
    metadata = {
        "name": "synthetic",
        "title": f"A synthetic corpus of {statements} statements",
        "version": "1.0.0",
        "license": "CC0-1.0",
        "description": "Generated for benchmarks.",
        "keywords": ["benchmark"],
        "creators": [{"name": "dispatchdata benchmarks"}],
        "citation": {"title": f"A synthetic corpus of {statements} statements"},
    }
    return {
        "metadata": metadata,
        "actors": [publisher, *actors],
        "proposals": proposals,
        "documents": documents,
        "statements": statement_files,
        "texts": {d: texts[d].value() for d in docs},
    }


def _dump_yaml(value: Any, path: Path) -> None:
    path.write_text(
        yaml.dump(value, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )


def _dump_json(value: Any, path: Path) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write(corpus: dict[str, Any], out: Path) -> None:
    """Write the YAML and JSON datasets and the source texts."""
    for fmt, dump, suffix in (("yaml", _dump_yaml, ".yaml"), ("json", _dump_json, ".json")):
        root = out / fmt
        (root / "documents").mkdir(parents=True, exist_ok=True)
        (root / "statements").mkdir(parents=True, exist_ok=True)
        dump(corpus["metadata"], root / f"dataset{suffix}")
        dump(corpus["actors"], root / f"actors{suffix}")
        dump(corpus["proposals"], root / f"proposals{suffix}")
        for document in corpus["documents"]:
            dump([document], root / "documents" / f"{document['id']}{suffix}")
            dump(corpus["statements"][document["id"]], root / "statements" / f"{document['id']}{suffix}")
    (out / "sources").mkdir(parents=True, exist_ok=True)
    for doc, text in corpus["texts"].items():
        (out / "sources" / f"{doc}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(generate(args.statements, args.seed), args.out)


if __name__ == "__main__":
    main()
