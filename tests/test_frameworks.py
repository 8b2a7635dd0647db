"""The framework corpus (data/frameworks/*.yaml) and its loader's validation.

Part 1 checks the shipped data against the reference facts (verbatim titles, counts, ids,
confirmed flags, the key edges). Part 2 writes small bad YAML files to tmp_path, one per class
of error, and checks that the LoaderError names the file, the line and the fix.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import id_problem, node_problems
from loaders.frameworks import read_framework_file, read_frameworks

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "frameworks"
REFERENCE = ROOT.parent / "shared" / "reference" / "framework-facts.md"


# --------------------------------------------------------------------------------------------
# Part 1: the shipped corpus
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def records() -> list[Node | Edge]:
    return read_frameworks(DATA)


@pytest.fixture(scope="module")
def nodes(records) -> dict[tuple[str, str], Node]:
    return {(r.label, r.id): r for r in records if isinstance(r, Node)}


@pytest.fixture(scope="module")
def edges(records) -> set[tuple[str, str, str]]:
    return {(r.type, r.src, r.dst) for r in records if isinstance(r, Edge)}


def provisions(nodes, framework_id: str) -> dict[str, Node]:
    return {n.props["ref"]: n for (label, _), n in nodes.items()
            if label == "Provision" and n.props["framework_id"] == framework_id}


REQUIRED_FRAMEWORKS = [
    "untoc", "tip-protocol", "som-protocol", "firearms-protocol", "gpa",
    "political-declaration-2017", "political-declaration-2021", "agenda-2030", "unsc-2195",
    "unsc-2331", "unsc-2388", "unsc-2482", "gcm", "new-york-declaration", "refugee-convention",
    "ilo-c029", "ilo-p029", "ilo-c097", "ilo-c143", "crc", "unhcr-10-point-plan",
    "ohchr-principles-2002", "cedaw-gr38", "gcr",
]
ARCHITECTURE_BODIES = [
    "unga", "unsc", "ecosoc", "hrc", "untoc-cop", "wg-tip", "wg-som", "ccpcj", "unodc",
    "unodc-htmss", "iom", "unhcr", "ohchr", "ilo", "unicef", "un-women", "icat", "alliance-8-7",
    "sr-tip", "cedaw-committee", "pga", "gcm-cofacilitators",
]
SEED_BODIES = [
    "state-mex", "state-che", "state-arg", "state-aut", "state-aus", "state-gbr", "state-usa",
    "state-tur", "state-plw", "eui-migration-policy-centre", "global-initiative-toc", "prio",
    "democracy-today", "qatar-university-college-of-law", "gaatw", "msf",
    "university-of-nigeria", "global-migration-group", "unsg", "interpol", "icc",
]


def test_every_required_framework_and_body_is_there(nodes):
    for fid in REQUIRED_FRAMEWORKS:
        assert ("Framework", fid) in nodes, fid
    for bid in ARCHITECTURE_BODIES + SEED_BODIES:
        assert ("Body", bid) in nodes, bid


def test_every_id_is_on_the_fixed_scheme_and_every_node_is_valid(nodes):
    for (label, node_id), node in nodes.items():
        assert id_problem(label, node_id) is None
        assert node_problems(node) == []
        if label == "Provision":
            assert node_id == f"{node.props['framework_id']}:{node.props['ref']}"


def test_every_node_names_its_yaml_file_and_says_whether_it_is_confirmed(nodes):
    files = {p.name for p in DATA.glob("*.yaml")}
    for node in nodes.values():
        assert node.props["source"] in files
        assert isinstance(node.props["confirmed"], bool)


def test_every_provision_names_the_framework_it_is_part_of(nodes, edges):
    # Coverage and the themes query read `framework_id` instead of following PART_OF.
    part_of = {src: dst for rel, src, dst in edges if rel == "PART_OF"}
    checked = 0
    for (label, node_id), node in nodes.items():
        if label == "Provision":
            assert part_of.get(node_id) == node.props["framework_id"], node_id
            checked += 1
    assert checked == 189


def test_untoc_has_41_articles_with_verbatim_titles(nodes):
    arts = provisions(nodes, "untoc")
    assert sorted(arts) == sorted(f"art-{n}" for n in range(1, 42))
    assert arts["art-5"].props["title"] == ("Criminalization of participation in an organized "
                                            "criminal group")
    assert arts["art-25"].props["title"] == "Assistance to and protection of victims"
    assert arts["art-30"].props["title"] == ("Other measures: implementation of the Convention "
                                             "through economic development and technical "
                                             "assistance")
    assert arts["art-41"].props["title"] == "Depositary and languages"


def test_trafficking_protocol_has_20_articles_with_verbatim_titles(nodes):
    arts = provisions(nodes, "tip-protocol")
    assert sorted(arts) == sorted(f"art-{n}" for n in range(1, 21))
    assert arts["art-6"].props["title"] == ("Assistance to and protection of victims of "
                                            "trafficking in persons")
    assert arts["art-7"].props["title"] == ("Status of victims of trafficking in persons in "
                                            "receiving States")
    assert arts["art-14"].props["title"] == "Saving clause"
    kw = set(arts["art-6"].props["keywords"])
    assert {"assistance", "protection", "victims", "compensation", "recovery", "housing",
            "counselling"} <= kw


def test_smuggling_protocol_has_25_articles_with_verbatim_titles(nodes):
    arts = provisions(nodes, "som-protocol")
    assert sorted(arts) == sorted(f"art-{n}" for n in range(1, 26))
    assert arts["art-5"].props["title"] == "Criminal liability of migrants"
    assert arts["art-8"].props["title"] == "Measures against the smuggling of migrants by sea"
    assert arts["art-18"].props["title"] == "Return of smuggled migrants"


def test_gcm_has_23_objectives_with_verbatim_titles(nodes):
    objs = {ref: n for ref, n in provisions(nodes, "gcm").items() if ref.startswith("obj-")}
    assert sorted(objs) == sorted(f"obj-{n}" for n in range(1, 24))
    assert objs["obj-1"].props["title"] == ("Collect and utilize accurate and disaggregated data "
                                            "as a basis for evidence-based policies")
    assert objs["obj-9"].props["title"] == ("Strengthen the transnational response to smuggling "
                                            "of migrants")
    assert objs["obj-10"].props["title"] == ("Prevent, combat and eradicate trafficking in "
                                             "persons in the context of international migration")
    assert objs["obj-23"].props["title"] == ("Strengthen international cooperation and global "
                                             "partnerships for safe, orderly and regular "
                                             "migration")


def _reference_titles(section_heading: str) -> dict[int, str]:
    """Article/objective number -> title, read from a table of the reference file."""
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(section_heading)
    block = text[start: text.index("\n### ", start + 1)]
    found: dict[int, str] = {}
    for line in block.splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        for i in range(len(cells) - 1):
            if cells[i].isdigit() and cells[i + 1] and not cells[i + 1].startswith("-"):
                found.setdefault(int(cells[i]), cells[i + 1])
    return found


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared/reference is not beside the repo")
@pytest.mark.parametrize("heading, framework, prefix, count", [
    ("### 1.1 UNTOC article titles", "untoc", "art", 41),
    ("### 2.1 TIP Protocol structure", "tip-protocol", "art", 20),
    ("### 3.1 SOM Protocol structure", "som-protocol", "art", 25),
    ("### 8.2 The 23 GCM objectives", "gcm", "obj", 23),
])
def test_every_title_matches_the_reference_verbatim(nodes, heading, framework, prefix, count):
    expected = _reference_titles(heading)
    assert sorted(expected) == list(range(1, count + 1))
    ours = provisions(nodes, framework)
    for n, title in expected.items():
        assert ours[f"{prefix}-{n}"].props["title"] == title, (framework, n)


FINAL_CLAUSES = {"Settlement of disputes", "Entry into force", "Amendment", "Denunciation",
                 "Depositary and languages",
                 "Signature, ratification, acceptance, approval and accession"}


@pytest.mark.parametrize("framework", ["untoc", "tip-protocol", "som-protocol", "gcm"])
def test_every_substantive_provision_has_retrieval_keywords(nodes, framework):
    for ref, node in provisions(nodes, framework).items():
        if node.props["title"] in FINAL_CLAUSES:
            continue
        assert len(node.props["keywords"]) >= 3, (framework, ref)


def test_sdg_targets_and_indicators(nodes):
    sdg = provisions(nodes, "agenda-2030")
    for t in ("5.2", "5.3", "8.7", "8.8", "10.7", "16.2", "16.3", "16.4", "17.18"):
        assert f"target-{t}" in sdg
    assert sdg["target-16.2"].props["title"] == ("End abuse, exploitation, trafficking and all "
                                                 "forms of violence against and torture of "
                                                 "children")
    assert sdg["indicator-16.2.2"].props["title"].startswith(
        "Number of victims of human trafficking per 100,000 population")
    assert "UNODC" in sdg["indicator-16.2.2"].props["text"]
    assert "unsc-2388:op-2" in {i for _, i in nodes}


@pytest.mark.parametrize("label, node_id", [
    ("Framework", "political-declaration-2021"),  # symbol A/RES/76/7 UNCONFIRMED
    ("Framework", "cedaw-gr38"),  # adoption on 6 Nov 2020 UNCONFIRMED
    ("Framework", "imrf-progress-declaration-2022"),  # symbol A/RES/76/266 UNCONFIRMED
    ("Provision", "gpa:chapter-1"),  # GPA annex headings UNCONFIRMED
    ("Provision", "ohchr-principles-2002:guideline-11"),  # wording UNCONFIRMED
    ("Provision", "agenda-2030:indicator-17.18.1"),  # current wording UNCONFIRMED
    ("Provision", "agenda-2030:target-8.8"),  # not in the reference at all
    ("Provision", "agenda-2030:target-16.3"),  # not in the reference at all
])
def test_unconfirmed_facts_carry_confirmed_false(nodes, label, node_id):
    assert nodes[(label, node_id)].props["confirmed"] is False


def test_confirmed_facts_carry_confirmed_true(nodes):
    for key in [("Framework", "untoc"), ("Framework", "gcm"), ("Provision", "gcm:obj-10"),
                ("Provision", "tip-protocol:art-3"), ("Body", "unodc-htmss")]:
        assert nodes[key].props["confirmed"] is True
    assert nodes[("Framework", "untoc")].props["in_force"] == dt.date(2003, 9, 29)
    assert nodes[("Framework", "tip-protocol")].props["in_force"] == dt.date(2003, 12, 25)
    assert nodes[("Framework", "som-protocol")].props["in_force"] == dt.date(2004, 1, 28)


def test_protocols_supplement_untoc(edges):
    for protocol in ("tip-protocol", "som-protocol", "firearms-protocol"):
        assert ("SUPPLEMENTS", protocol, "untoc") in edges


def test_adopted_by_carries_date_and_symbol(records):
    adopted = {(e.src, e.dst): e.props for e in records
               if isinstance(e, Edge) and e.type == "ADOPTED_BY"}
    assert adopted[("gcm", "unga")] == {"date": dt.date(2018, 12, 19), "symbol": "A/RES/73/195",
                                        "source": "gcm.yaml"}
    assert adopted[("untoc", "unga")]["symbol"] == "A/RES/55/25"
    assert adopted[("unsc-2331", "unsc")]["date"] == dt.date(2016, 12, 20)
    assert adopted[("political-declaration-2021", "unga")]["symbol"] is None  # unconfirmed


def test_body_hierarchy(edges):
    for child, parent in [("wg-tip", "untoc-cop"), ("wg-som", "untoc-cop"), ("ccpcj", "ecosoc"),
                          ("hrc", "unga"), ("sr-tip", "hrc"), ("unodc-htmss", "unodc-ocb"),
                          ("gcm-cofacilitators", "pga")]:
        assert ("PART_OF", child, parent) in edges


def test_crosswalk_rows(records, edges):
    aligned = {frozenset((s, d)) for t, s, d in edges if t == "ALIGNS_WITH"}
    for target in ("agenda-2030:target-8.7", "agenda-2030:target-16.2",
                   "agenda-2030:target-5.2", "tip-protocol:art-6"):
        assert frozenset(("gcm:obj-10", target)) in aligned
    assert frozenset(("gcm:obj-9", "som-protocol:art-5")) in aligned
    for e in records:
        if isinstance(e, Edge) and e.type == "ALIGNS_WITH":
            assert e.props["evidence"] and isinstance(e.props["confirmed"], bool)


# --------------------------------------------------------------------------------------------
# Part 2: validation, one test per class of error
# --------------------------------------------------------------------------------------------

GOOD_BODIES = """\
bodies:
  - id: unga
    name: General Assembly
    kind: principal-organ
    source: test
    confirmed: true
"""

GOOD_FRAMEWORK = """\
frameworks:
  - id: untoc
    name: Convention
    kind: convention
    adopted: 2000-11-15
    adopted_by: {body: unga, date: 2000-11-15, symbol: A/RES/55/25}
    source: test
    confirmed: true
    provisions:
      - ref: art-5
        title: Criminalization
        confirmed: true
        source: test
"""


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    if isinstance(text, str):
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if needle in line:
            return i + 1
    raise AssertionError(needle)


def load_error(directory: Path) -> str:
    with pytest.raises(LoaderError) as info:
        read_frameworks(directory)
    return str(info.value)


def assert_reported(message: str, path: Path, line: int, *phrases: str) -> None:
    assert re.search(rf"{re.escape(path.name)}:{line}: ", message), message
    for phrase in phrases:
        assert phrase in message, (phrase, message)


def test_a_small_good_corpus_loads(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK)
    records = read_frameworks(tmp_path)
    assert {(r.label, r.id) for r in records if isinstance(r, Node)} == {
        ("Body", "unga"), ("Framework", "untoc"), ("Provision", "untoc:art-5")}


def test_unknown_key(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("title: Crim", "titel: Crim"))
    assert_reported(load_error(tmp_path), path, line_of(path, "titel"),
                    "unknown key 'titel' in provision untoc:art-5",
                    "Known keys: ref, title, text", "did you mean 'title'?",
                    "Fix the spelling", "or remove it")


def test_missing_id(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("  - id: untoc\n    name:",
                                                                 "  - name:"))
    assert_reported(load_error(tmp_path), path, line_of(path, "- name: Convention"),
                    "has no 'id'", "Add `id:`")


def test_duplicate_id_within_a_file(tmp_path):
    path = write(tmp_path, "bodies.yaml", GOOD_BODIES + GOOD_BODIES.split("\n", 1)[1])
    message = load_error(tmp_path)
    first = line_of(path, "id: unga")
    assert_reported(message, path, first + 5, "duplicate Body id 'unga'",
                    f"{path.name}:{first})", "Rename one of them")


def test_duplicate_id_across_files(tmp_path):
    first = write(tmp_path, "a.yaml", GOOD_BODIES)
    second = write(tmp_path, "b.yaml", GOOD_BODIES)
    message = load_error(tmp_path)
    assert_reported(message, second, 2, "duplicate Body id 'unga'", f"{first.name}:2",
                    "Rename one of them or merge")


def test_id_off_the_scheme(tmp_path):
    path = write(tmp_path, "bodies.yaml", GOOD_BODIES.replace("id: unga", "id: UN_GA"))
    assert_reported(load_error(tmp_path), path, 2, "'UN_GA' is off the scheme for Body",
                    "Use lower-case words joined by '-'")


def test_provision_ref_off_the_scheme(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("ref: art-5", "ref: article-5"))
    assert_reported(load_error(tmp_path), path, line_of(path, "article-5"),
                    "'untoc:article-5' is off the scheme for Provision", "`art-6`")


@pytest.mark.parametrize("where, replacement, needle, what", [
    ("adopted_by", "body: unga,", "body: ungaa,", "'adopted_by' of framework untoc names 'ungaa'"),
    ("supplements", "    source: test\n    confirmed: true\n    provisions:",
     "    supplements: palermo\n    source: test\n    confirmed: true\n    provisions:",
     "'supplements' of framework untoc names 'palermo'"),
])
def test_dangling_reference_from_a_framework(tmp_path, where, replacement, needle, what):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace(replacement, needle, 1))
    line = line_of(path, needle.strip().splitlines()[0])
    assert_reported(load_error(tmp_path), path, line, what, "Fix the id")


def test_dangling_part_of(tmp_path):
    path = write(tmp_path, "bodies.yaml", GOOD_BODIES + """\
  - id: wg-tip
    name: Working Group on Trafficking in Persons
    kind: subsidiary
    part_of: untoc-cpo
    source: test
    confirmed: true
""")
    assert_reported(load_error(tmp_path), path, line_of(path, "part_of"),
                    "'part_of' of body wg-tip names 'untoc-cpo'", "no Body has that id",
                    "add the Body")


def test_dangling_crosswalk_row(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK)
    path = write(tmp_path, "crosswalk.yaml", """\
aligns_with:
  - from: untoc:art-5
    to: untoc:art-6
    evidence: both criminalize
    source: test
    confirmed: false
""")
    assert_reported(load_error(tmp_path), path, 3, "names 'untoc:art-6'",
                    "no Provision has that id", "did you mean 'untoc:art-5'?")


def test_crosswalk_row_between_a_provision_and_a_framework(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK)
    path = write(tmp_path, "crosswalk.yaml", """\
aligns_with:
  - from: untoc:art-5
    to: untoc
    evidence: x
    source: test
    confirmed: false
  - from: untoc:art-5
    to: untoc:art-5
    evidence: x
    source: test
    confirmed: false
""")
    message = load_error(tmp_path)
    assert_reported(message, path, 2, "aligns a Provision (untoc:art-5) with a Framework",
                    "Name a provision of that framework")
    assert_reported(message, path, 7, "with itself")


def test_repeated_crosswalk_row_in_reverse(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace(
        "        source: test\n", "        source: test\n      - ref: art-6\n        title: X\n"
        "        confirmed: true\n        source: test\n", 1))
    row = "  - from: {a}\n    to: {b}\n    evidence: x\n    source: t\n    confirmed: false\n"
    path = write(tmp_path, "crosswalk.yaml", "aligns_with:\n"
                 + row.format(a="untoc:art-5", b="untoc:art-6")
                 + row.format(a="untoc:art-6", b="untoc:art-5"))
    assert_reported(load_error(tmp_path), path, 7, "repeats the row at", "crosswalk.yaml:2",
                    "rows work both ways")


@pytest.mark.parametrize("value, phrase", [
    ("2000-02-30", "cannot read the value '2000-02-30'"),
    ("15 Nov 2000", "'adopted' of framework untoc must be a date"),
    ("2000-11-15 10:00:00", "'adopted' of framework untoc must be a date"),
])
def test_bad_date(tmp_path, value, phrase):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("adopted: 2000-11-15",
                                                                 f"adopted: {value}"))
    assert_reported(load_error(tmp_path), path, line_of(path, "adopted: "), phrase,
                    "YYYY-MM-DD")


def test_in_force_before_adoption(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace(
        "adopted: 2000-11-15", "adopted: 2000-11-15\n    in_force: 1999-01-01"))
    assert_reported(load_error(tmp_path), path, line_of(path, "in_force"),
                    "enters into force (1999-01-01) before it is adopted", "Check both dates")


@pytest.mark.parametrize("old, new, needle, phrase, fix", [
    ("confirmed: true\n    provisions", 'confirmed: "yes"\n    provisions', 'confirmed: "yes"',
     "'confirmed' of framework untoc must be true or false", "`confirmed: false`"),
    ("title: Criminalization", "title: 12", "title: 12",
     "'title' of provision untoc:art-5 must be text, got int", "Quote the value"),
    ("kind: convention", "kind: convention\n    keywords: forced labour", "keywords:",
     "'keywords' of framework untoc must be a list of words", "[word, another word]"),
    ("kind: convention", "kind: conventoin", "kind: conventoin",
     "'kind' of framework untoc is 'conventoin'", "did you mean 'convention'?"),
])
def test_wrong_type(tmp_path, old, new, needle, phrase, fix):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace(old, new, 1))
    assert_reported(load_error(tmp_path), path, line_of(path, needle), phrase, fix)


def test_unconfirmed_values_need_confirmed_false(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace(
        "    confirmed: true\n    provisions", "    confirmed: true\n    unconfirmed: [adopted, "
        "colour]\n    provisions"))
    message = load_error(tmp_path)
    assert_reported(message, path, line_of(path, "    confirmed: true"),
                    "lists unconfirmed values (adopted, colour)", "Set `confirmed: false`")
    assert_reported(message, path, line_of(path, "unconfirmed:"), "names 'colour'")


def test_duplicate_key_in_one_mapping(tmp_path):
    path = write(tmp_path, "bodies.yaml", GOOD_BODIES.replace(
        "    kind: principal-organ\n", "    kind: principal-organ\n    name: UNGA\n"))
    assert_reported(load_error(tmp_path), path, line_of(path, "name: UNGA"),
                    "key 'name' is given twice in this mapping (first on line 3)",
                    "Keep one of the two")


def test_malformed_yaml_reports_yamls_own_line(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES)
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("    kind: convention",
                                                                 "   kind: convention"))
    message = load_error(tmp_path)
    assert re.search(rf"{path.name}:\d+: malformed YAML", message), message
    assert "Fix the syntax at that line" in message
    assert "names 'unga'" not in message  # no knock-on dangling-reference noise


def test_malformed_yaml_unclosed_bracket(tmp_path):
    path = write(tmp_path, "bodies.yaml", "bodies:\n  - id: unga\n    part_of: [a, b\n")
    message = load_error(tmp_path)
    assert re.search(rf"{path.name}:[34]: malformed YAML", message), message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, "empty.yaml", text)
    assert_reported(load_error(tmp_path), path, 1, "the file is empty", "Add the data or delete")


def test_non_utf8_bytes_report_their_line(tmp_path):
    data = GOOD_BODIES.replace("General Assembly", "Assembl\u00e9e g\u00e9n\u00e9rale")
    path = write(tmp_path, "bodies.yaml", data.encode("latin-1"))
    assert_reported(load_error(tmp_path), path, 3, "is not valid UTF-8", "Re-save the file as UTF-8")


def test_utf8_bom_is_accepted_and_stripped(tmp_path):
    write(tmp_path, "bodies.yaml", b"\xef\xbb\xbf" + GOOD_BODIES.encode("utf-8"))
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK)
    ids = {r.id for r in read_frameworks(tmp_path) if isinstance(r, Node)}
    assert "unga" in ids


def test_utf16_file_is_refused(tmp_path):
    path = write(tmp_path, "bodies.yaml", GOOD_BODIES.encode("utf-16"))
    assert_reported(load_error(tmp_path), path, 1, "UTF-16 byte-order mark", "Re-save it as UTF-8")


@pytest.mark.parametrize("text, phrase, fix", [
    ("- id: unga\n", "the file must be a mapping", "Start the file with `frameworks:`"),
    ("framework:\n  - id: x\n", "unknown top-level key 'framework'", "did you mean 'frameworks'?"),
    ("bodies:\n  id: unga\n", "'bodies' must be a list", "one `- ` item per entry"),
    ("bodies:\n  - unga\n", "the body at line 2 must be a mapping", "`key: value` lines"),
])
def test_wrong_structure(tmp_path, text, phrase, fix):
    path = write(tmp_path, "bodies.yaml", text)
    message = load_error(tmp_path)
    assert f"{path.name}:" in message and phrase in message and fix in message, message


def test_all_or_nothing_lists_problems_from_every_file(tmp_path):
    write(tmp_path, "bodies.yaml", GOOD_BODIES.replace("kind: principal-organ", "kind: organ"))
    write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK.replace("title: Crim", "titel: Crim"))
    with pytest.raises(LoaderError) as info:
        read_frameworks(tmp_path)
    message = str(info.value)
    assert "2 problem(s)" in message and "nothing was loaded" in message
    assert "bodies.yaml:4:" in message and "untoc.yaml:" in message
    assert len(info.value.problems) == 2


def test_read_framework_file_checks_one_file_alone(tmp_path):
    path = write(tmp_path, "untoc.yaml", GOOD_FRAMEWORK)
    records = read_framework_file(path)  # 'unga' is defined elsewhere: not checked here
    assert {(e.type, e.dst) for e in records if isinstance(e, Edge)} == {
        ("ADOPTED_BY", "unga"), ("PART_OF", "untoc")}
    bad = write(tmp_path, "bad.yaml", GOOD_FRAMEWORK.replace("ref: art-5", "ref: 5"))
    with pytest.raises(LoaderError, match=r"bad\.yaml:\d+: 'ref' of"):
        read_framework_file(bad)


def test_missing_or_empty_directory(tmp_path):
    with pytest.raises(LoaderError, match="no \\*.yaml files"):
        read_frameworks(tmp_path)
    with pytest.raises(LoaderError, match="no such directory"):
        read_frameworks(tmp_path / "nope")
