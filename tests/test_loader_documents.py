"""The four document loaders, checked against what the documents themselves say.

Expected values were read off data/sources/000, 001, 002 and 004 by hand (not copied from the
loaders' output): event dates and places, cited symbols, agenda titles word for word, panels,
resources and checklist questions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import LoaderError
from graph.records import Edge, Node
from graph.schema import ID_PATTERNS, edge_problems, node_problems
from loaders import agenda, briefing, procedural_note, training

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
BRIEFING = SOURCES / "000_491ae9bf49fe258f.txt"
AGENDA = SOURCES / "001_c8ce0308e6432a15.txt"
NOTE = SOURCES / "002_5f6558f3113a5cc1.txt"
TRAINING = SOURCES / "004_c247a92fe6dc4f5c.txt"
LOADERS = [(briefing, briefing.read_briefing, BRIEFING),
           (agenda, agenda.read_agenda, AGENDA),
           (procedural_note, procedural_note.read_procedural_note, NOTE),
           (training, training.read_training, TRAINING)]
D = dt.date


def nodes(records, label):
    return {r.id: r.props for r in records if isinstance(r, Node) and r.label == label}


def edges(records, type_, src=None):
    return {(e.src, e.dst): e.props for e in records
            if isinstance(e, Edge) and e.type == type_ and (src is None or e.src == src)}


@pytest.fixture(scope="module")
def b():
    return briefing.read_briefing(BRIEFING)


@pytest.fixture(scope="module")
def a():
    return agenda.read_agenda(AGENDA)


@pytest.fixture(scope="module")
def p():
    return procedural_note.read_procedural_note(NOTE)


@pytest.fixture(scope="module")
def t():
    return training.read_training(TRAINING)


# ------------------------------------------------------------------ every loader

@pytest.mark.parametrize("module,read,path", LOADERS, ids=lambda x: getattr(x, "name", ""))
def test_records_are_valid_and_on_the_id_scheme(module, read, path):
    records = read(path)
    own = {r.key for r in records if isinstance(r, Node)}
    for r in records:
        if isinstance(r, Node):
            assert ID_PATTERNS[r.label].match(r.id), r.id
            assert node_problems(r) == [], r
            assert r.props["source"] == module.DOCUMENT_ID, r
            assert "page" in r.props, r
        else:
            assert edge_problems(r) == [], r
            for label, key in ((r.src_label, r.src), (r.dst_label, r.dst)):
                assert (label, key) in own or key in module.REFERENCED_IDS, (r, key)
    assert len({r.key for r in records}) == len(records), "duplicate keys"


@pytest.mark.parametrize("module,read,path", LOADERS, ids=lambda x: getattr(x, "name", ""))
def test_loaders_are_pure(module, read, path):
    assert read(path) == read(path)


@pytest.mark.parametrize("read,wrong", [
    (briefing.read_briefing, AGENDA), (agenda.read_agenda, TRAINING),
    (procedural_note.read_procedural_note, BRIEFING), (training.read_training, NOTE)])
def test_wrong_document_is_refused_with_file_and_line(read, wrong):
    with pytest.raises(LoaderError) as err:
        read(wrong)
    assert f"{wrong.name}:" in str(err.value)
    assert "expected" in str(err.value)


def test_agenda_error_names_the_file_line_and_the_fix():
    with pytest.raises(LoaderError, match=r"004_c247a92fe6dc4f5c\.txt:1: no agenda items found; "
                                          r"expected .*Is this the annotated agenda\?"):
        agenda.read_agenda(TRAINING)


def test_missing_file_is_a_loader_error(tmp_path):
    with pytest.raises(LoaderError, match="cannot read"):
        briefing.read_briefing(tmp_path / "nope.txt")


# ------------------------------------------------------------------ 000 briefing

EVENTS_000 = {  # id: (start, end, place, convener), from the opening list of the briefing
    "ccpcj-26": (D(2017, 5, 22), D(2017, 5, 26), "Vienna", "ccpcj"),
    "gpa-consultation-2017-06": (D(2017, 6, 23), D(2017, 6, 23), "New York", "unga"),
    "gcm-ts5": (D(2017, 9, 4), D(2017, 9, 5), "Vienna", "pga"),
    "wg-tip-7": (D(2017, 9, 6), D(2017, 9, 8), "Vienna", "untoc-cop"),
    "wg-som-4": (D(2017, 9, 11), D(2017, 9, 13), "Vienna", "untoc-cop"),
    "gpa-appraisal-2017": (D(2017, 9, 27), D(2017, 9, 28), "New York", "unga"),
    "gcm-stocktaking-2017": (D(2017, 12, 4), D(2017, 12, 5), "Mexico", "pga"),
    "unsc-tip-meeting-2017-12": (None, None, "New York", "unsc"),  # 'December 2017': no day
}


def test_briefing_document(b):
    doc = nodes(b, "Document")["htmss-briefing-2017-06"]
    assert doc["kind"] == "briefing" and doc["date"] == D(2017, 6, 9)
    assert doc["title"] == ("Briefing on important upcoming events on human trafficking and "
                            "migrants")
    assert doc["source_file"] == "data/sources/000_491ae9bf49fe258f.txt"
    assert ("htmss-briefing-2017-06", "unodc-htmss") in edges(b, "ISSUED_BY")


def test_briefing_eight_events_with_dates_places_and_conveners(b):
    events = nodes(b, "Event")
    assert set(events) == set(EVENTS_000)
    convened = edges(b, "CONVENED_BY")
    records = edges(b, "RECORDS")
    for eid, (start, end, place, body) in EVENTS_000.items():
        e = events[eid]
        assert (e["start_date"], e["end_date"], e["place"]) == (start, end, place), eid
        assert (eid, body) in convened
        assert ("htmss-briefing-2017-06", eid) in records
    assert "December 2017" in events["unsc-tip-meeting-2017-12"]["summary"]


def test_briefing_event_details_come_from_their_slides(b):
    events = nodes(b, "Event")
    gcm = events["gcm-ts5"]
    assert gcm["participants"] == "Member States, International Organizations, Civil Society"
    assert gcm["structure"].startswith("(tentative) 3 substantive panels & 1 summary session")
    assert "procedural note & agenda from PGA" in gcm["documentation"]
    assert gcm["outcome"].startswith("A chair's summary of the meeting")
    assert gcm["summary"].startswith("5th thematic session on smuggling of Migrants")
    assert events["wg-tip-7"]["outcome"] == ("negotiated recommendations, to be transmitted to "
                                             "the COP")
    assert "mixed migration movements" in events["wg-tip-7"]["structure"]
    assert "questionnaire to review the SoM Protocol" in events["wg-som-4"]["structure"]
    assert "15 June 2017" in events["unsc-tip-meeting-2017-12"]["documentation"]
    assert events["gpa-appraisal-2017"]["structure"].startswith("A plenary meetings")
    for eid in ("ccpcj-26", "gpa-consultation-2017-06", "gcm-stocktaking-2017"):  # no slide
        assert events[eid].get("outcome") is None


def test_briefing_citations(b):
    cites = edges(b, "CITES")
    docs = nodes(b, "Document")
    expected = {("gpa-appraisal-2017", "a-res-70-179"): "A/RES/70/179",
                ("gpa-appraisal-2017", "a-res-71-287"): "A/RES/71/287",
                ("gpa-appraisal-2017", "a-71-119"): "A/71/119",
                ("unsc-tip-meeting-2017-12", "s-prst-2015-25"): "S/PRST/2015/25"}
    for (src, dst), symbol in expected.items():
        assert (src, dst) in cites
        assert docs[dst]["symbol"] == symbol and docs[dst]["kind"] == "cited"
    assert ("unsc-tip-meeting-2017-12", "unsc-2331") in cites  # resolution 2331 = Framework
    assert "s-res-2331" not in docs
    assert "A/RES70/179" in cites[("gpa-appraisal-2017", "a-res-70-179")]["evidence"]  # as printed
    assert docs["a-res-70-179"]["title"] == ("Improving the coordination of efforts against "
                                             "trafficking in persons")


def test_briefing_mentions_frameworks_it_names(b):
    mentions = edges(b, "MENTIONS", "htmss-briefing-2017-06")
    for fid in ("tip-protocol", "som-protocol", "gpa", "gcm"):
        assert mentions[("htmss-briefing-2017-06", fid)]["method"] == "cited"
    assert "Smuggling of Migrants Protocols" in \
        mentions[("htmss-briefing-2017-06", "som-protocol")]["evidence"]
    gpa = mentions[("htmss-briefing-2017-06", "gpa")]["evidence"]
    assert gpa.startswith("Global Plan of Action")


DEBRIS = ("14:3 Global compact for safe, orderly and regular migration - Security Council "
          "resolution 2388 (2017); see A/RES/72/1 and the 2030 Agenda\n"
          "## Working Group on Firearms, 1-2 March 2018, Vienna\n- **Topic:** something else\n")


def test_briefing_ignores_text_run_into_its_last_line(b, tmp_path):
    """The deck ends with its contact slide; another document's text run into the last line
    (as the seed site does, '14:3 Global compact ...') must not become records."""
    text = BRIEFING.read_text(encoding="utf-8")
    copy = tmp_path / BRIEFING.name
    copy.write_text(text.rstrip("\n") + DEBRIS, encoding="utf-8")
    assert briefing.read_briefing(copy) == b
    flat = repr(b)
    for word in ("14:3", "2388", "htmss@unodc.org", "www.unodc.org", "Thank you", "Firearms"):
        assert word not in flat


def test_briefing_follows_its_text(tmp_path):
    """A changed document changes the records: nothing is hard-coded but the structure."""
    text = BRIEFING.read_text(encoding="utf-8").replace("22-26 May 2017", "15-19 May 2017") \
        .replace("**26<sup>th</sup> session of Commission", "**27th session of Commission")
    copy = tmp_path / BRIEFING.name
    copy.write_text(text, encoding="utf-8")
    events = nodes(briefing.read_briefing(copy), "Event")
    assert "ccpcj-26" not in events
    assert events["ccpcj-27"]["start_date"] == D(2017, 5, 15)


# ------------------------------------------------------------------ 001 agenda

ITEMS_001 = [
    "Organizational matters",
    "Effective criminal justice responses to trafficking in persons centred on addressing the "
    "protection and assistance needs of different groups and types of victims, with particular "
    "reference to victims of trafficking within mixed migration movements",
    "Preparation of the questionnaire to review the implementation of the Trafficking in Persons "
    "Protocol",
    "Other matters",
    "Adoption of the report",
]


def test_agenda_document_and_session(a):
    doc = nodes(a, "Document")["ctoc-cop-wg4-2017-1"]
    assert (doc["symbol"], doc["kind"], doc["date"]) == ("CTOC/COP/WG.4/2017/1", "agenda",
                                                         D(2017, 6, 12))
    s = nodes(a, "Event")["wg-tip-7"]
    assert (s["start_date"], s["end_date"], s["place"]) == (D(2017, 9, 6), D(2017, 9, 8), "Vienna")
    assert ("ctoc-cop-wg4-2017-1", "untoc-cop") in edges(a, "ISSUED_BY")
    assert ("wg-tip-7", "untoc-cop") in edges(a, "CONVENED_BY")


def test_agenda_items_word_for_word(a):
    events = nodes(a, "Event")
    items = {k: v for k, v in events.items() if v.get("kind") == "agenda-item"}
    assert len(items) == 5
    for n, title in enumerate(ITEMS_001, start=1):
        item = items[f"wg-tip-7-item-{n}"]
        assert item["name"] == title and item["ordinal"] == n
        assert ("wg-tip-7-item-%d" % n, "wg-tip-7") in edges(a, "PART_OF")
    assert items["wg-tip-7-item-1"]["summary"].startswith("(a) Opening of the meeting")
    assert "Wednesday, 6 September 2017, at 10 a.m." in items["wg-tip-7-item-1"]["summary"]
    assert items["wg-tip-7-item-4"]["summary"].startswith("As no issues to be raised")
    assert "CTOC/COP/WG.4/2011/8" not in items["wg-tip-7-item-3"]["summary"]  # a footnote
    assert "V.17-04073" not in repr(a)                                         # a footer
    assert items["wg-tip-7-item-3"]["documentation"].startswith("Draft questionnaire")
    assert items["wg-tip-7-item-3"]["start_date"] == D(2017, 9, 7)  # from the annex
    assert items["wg-tip-7-item-5"]["start_date"] == D(2017, 9, 8)


def test_agenda_citations_come_from_the_item_that_cites(a):
    cites = edges(a, "CITES")
    docs = nodes(a, "Document")
    for src, dst, symbol in [("wg-tip-7-item-2", "ctoc-cop-wg-4-2017-2", "CTOC/COP/WG.4/2017/2"),
                             ("wg-tip-7-item-3", "ctoc-cop-wg-4-2017-3", "CTOC/COP/WG.4/2017/3"),
                             ("wg-tip-7-item-2", "ctoc-cop-wg-4-2011-8", "CTOC/COP/WG.4/2011/8"),
                             ("wg-tip-7-item-3", "ctoc-cop-wg-8-2016-2", "CTOC/COP/WG.8/2016/2")]:
        assert (src, dst) in cites
        assert docs[dst]["symbol"] == symbol and docs[dst]["kind"] == "cited"
    assert "para. 50" in cites[("wg-tip-7-item-2", "ctoc-cop-wg-4-2011-8")]["evidence"]
    assert docs["ctoc-cop-wg-4-2017-2"]["title"].startswith("Background paper prepared by the "
                                                            "Secretariat")
    for src, rid in [("wg-tip-7-item-1", "cop-resolution-7-1"),
                     ("wg-tip-7-item-3", "cop-resolution-8-2"),
                     ("wg-tip-7-item-3", "cop-resolution-5-5")]:
        assert (src, rid) in cites
        assert docs[rid]["kind"] == "resolution"
        assert (rid, "untoc-cop") in edges(a, "ISSUED_BY")
    assert docs["cop-resolution-7-1"]["title"].startswith("Strengthening the implementation")


def test_agenda_organization_of_work_and_pages(a):
    passages = nodes(a, "Passage")
    assert len(passages) == 8  # rows of the annex table: 3 + 1 (Wed), 2 (Thu), 2 (Fri)
    assert all(v["kind"] == "format" and v["page"] == 4 for v in passages.values())
    assert passages["ctoc-cop-wg4-2017-1:format.1"]["text"].startswith("Wednesday, 6 September")
    last = passages["ctoc-cop-wg4-2017-1:format.8"]["text"]
    assert last.startswith("Friday, 8 September") and "item 5, Adoption of the report" in last
    events, docs = nodes(a, "Event"), nodes(a, "Document")
    assert events["wg-tip-7-item-1"]["page"] == 1
    assert events["wg-tip-7-item-4"]["page"] == 3  # after the '2/4' footer, before '3/4'
    assert docs["ctoc-cop-wg-4-2011-8"]["page"] == 2  # footnote of page 2


def test_agenda_follows_its_text(tmp_path):
    text = AGENDA.read_text(encoding="utf-8").replace("The seventh session", "The eighth session")
    copy = tmp_path / AGENDA.name
    copy.write_text(text, encoding="utf-8")
    events = nodes(agenda.read_agenda(copy), "Event")
    assert "wg-tip-8" in events and "wg-tip-8-item-5" in events and "wg-tip-7" not in events


# ------------------------------------------------------------------ 002 procedural note

PANELS_002 = {  # id: (title, day, time slot)
    "gcm-ts5-panel-1": ("Smuggling of migrants", D(2017, 9, 4), "10.15-13.00"),
    "gcm-ts5-panel-2": ("Trafficking in persons and contemporary forms of slavery",
                        D(2017, 9, 4), "15.00-17.50"),
    "gcm-ts5-panel-3": ("Appropriate identification, protection, and assistance to migrants and "
                        "trafficking victims", D(2017, 9, 5), "10.05-13.00"),
    "gcm-ts5-summary-panel": ("Synopsis of the main conclusions and outcomes", D(2017, 9, 5),
                              "15.00-17.50"),
}


def test_procedural_note_document_and_session(p):
    doc = nodes(p, "Document")["gcm-ts5-procedural-note"]
    assert doc["kind"] == "procedural-note"
    assert doc["title"].startswith("Procedural Note for the Fifth Informal Thematic Session")
    assert ("gcm-ts5-procedural-note", "pga") in edges(p, "ISSUED_BY")
    assert ("gcm-ts5-procedural-note", "gcm-ts5") in edges(p, "RECORDS")
    s = nodes(p, "Event")["gcm-ts5"]
    assert (s["start_date"], s["end_date"], s["place"]) == (D(2017, 9, 4), D(2017, 9, 5), "Vienna")


def test_procedural_note_three_panels_and_a_summary_panel(p):
    events = nodes(p, "Event")
    panels = {k: v for k, v in events.items() if v.get("kind") == "panel"}
    assert set(panels) == set(PANELS_002)
    for eid, (title, day, slot) in PANELS_002.items():
        assert panels[eid]["name"].endswith(": " + title)
        assert panels[eid]["start_date"] == day and slot in panels[eid]["structure"]
        assert (eid, "gcm-ts5") in edges(p, "PART_OF")
    assert panels["gcm-ts5-panel-1"]["topic"].startswith("This panel will examine actions taken")
    # panel 3's cell runs on to a second table line
    assert "not made conditional upon cooperation" in panels["gcm-ts5-panel-3"]["topic"]
    assert panels["gcm-ts5-summary-panel"]["topic"].startswith("Moderators present the key "
                                                                 "recommendations")


def test_procedural_note_format_sections(p):
    passages = nodes(p, "Passage")
    fmt = [passages[f"gcm-ts5-procedural-note:format.{k}"]["text"] for k in range(1, 8)]
    assert "gcm-ts5-procedural-note:format.8" not in passages
    assert fmt[0].startswith("The informal thematic session will be held over the course of two")
    for text, head in zip(fmt[1:], ["Welcoming remarks", "Presentation of the issue brief",
                                    "Expert panels", "Summary panel", "Closing", "Side events"]):
        assert text.startswith(head + ": ")
    assert "The limit for interventions from the floor is three minutes." in fmt[3]
    intro = [v for v in passages.values() if v["kind"] == "introduction"]
    assert len(intro) == 2


def test_procedural_note_citations(p):
    cites = edges(p, "CITES")
    assert ("gcm-ts5-procedural-note", "a-res-71-280") in cites
    assert ("gcm-ts5-procedural-note", "new-york-declaration") in cites  # A/RES/71/1
    doc = nodes(p, "Document")["a-res-71-280"]
    assert doc["symbol"] == "A/RES/71/280" and doc["kind"] == "cited"
    assert doc["title"].startswith("Modalities for the intergovernmental negotiations")
    assert "a-res-71-1" not in nodes(p, "Document")


# ------------------------------------------------------------------ 004 training

RESOURCES_004 = {  # id: (year, publisher, kind, frameworks supported)
    "legislative-guide-untoc": (2015, "UNODC", "legislative-guide", {"untoc"}),
    "legislative-guide-tip-protocol": (2019, "UNODC", "legislative-guide", {"tip-protocol"}),
    "legislative-guide-som-protocol": (2004, "UNODC", "legislative-guide", {"som-protocol"}),
    "model-law-against-trafficking-in-persons": (2019, "UNODC", "model-law", {"tip-protocol"}),
    "model-law-against-the-smuggling-of-migrants": (2010, "UNODC", "model-law", {"som-protocol"}),
    "international-framework-for-action-to-implement-the-smuggling-of-migrants-protocol":
        (2011, "UNODC", "framework-for-action", {"som-protocol"}),
    "international-framework-for-action-to-implement-the-trafficking-in-persons-protocol":
        (2010, "UNODC", "framework-for-action", {"tip-protocol"}),
    "sherloc": (None, "UNODC", "database", {"tip-protocol", "som-protocol"}),
    "case-digest-evidential-issues-in-trafficking-in-persons-cases":
        (2017, "UNODC", "case-digest", {"tip-protocol"}),
}
D004 = "unodc-training-international-framework"


def test_training_document(t):
    doc = nodes(t, "Document")[D004]
    assert doc["kind"] == "training" and doc.get("date") is None  # no day given
    assert doc["title"] == ("International Framework: Trafficking in persons and smuggling of "
                            "migrants")
    assert "2019" in doc["summary"]
    assert (D004, "unodc") in edges(t, "ISSUED_BY")


def test_training_objectives_and_challenges(t):
    passages = nodes(t, "Passage")
    objectives = [v["text"] for v in passages.values() if v["kind"] == "objective"]
    challenges = [v["text"] for v in passages.values() if v["kind"] == "challenge"]
    assert len(objectives) == 4  # three bullets and the closing paragraph
    assert objectives[0].startswith("The United Nations Convention against Transnational")
    assert objectives[2].startswith("Recent developments regarding the international legal")
    assert objectives[3].startswith("Participants will be encouraged to share")
    assert challenges == ["legal concepts", "criminal justice capacity", "awareness-raising",
                          "identification and referral", "protection and assistance",
                          "cooperation and coordination"]
    first = edges(t, "MENTIONS", f"{D004}:objective.1")
    assert {dst for _, dst in first} == {"untoc", "tip-protocol", "som-protocol"}


def test_training_resources(t):
    resources = nodes(t, "Resource")
    assert set(resources) == set(RESOURCES_004)  # the catalogue link after the list is not one
    supports = edges(t, "SUPPORTS")
    for rid, (year, publisher, kind, frameworks) in RESOURCES_004.items():
        r = resources[rid]
        assert (r["year"], r["publisher"], r["kind"]) == (year, publisher, kind), rid
        assert {dst for src, dst in supports if src == rid} == frameworks, rid
    assert resources["sherloc"]["title"].startswith("SHERLOC")  # OCR 'Sherlock'
    # the bullet 'UNTOC, TIP Protocol and SOM Protocol' names instruments, not a resource
    cites = edges(t, "CITES", D004)
    assert {dst for _, dst in cites} == {"untoc", "tip-protocol", "som-protocol"}


def test_training_checklist_questions_and_what_they_name(t):
    passages = nodes(t, "Passage")
    questions = [f"{D004}:checklist-question.{k}" for k in range(1, 5)]
    assert [k for k, v in passages.items() if v["kind"] == "checklist-question"] == questions
    assert passages[questions[0]]["text"] == ("What is the ratification status of these three "
                                              "international instruments in your country?")
    assert passages[questions[2]]["text"].startswith("Does your country’s legal framework address "
                                                     "areas relevant to:")
    assert "the cooperation with other jurisdictions?" in passages[questions[2]]["text"]

    def named(q):
        return {dst for _, dst in edges(t, "MENTIONS", q)}

    assert named(questions[0]) == {"untoc", "tip-protocol", "som-protocol"}
    assert named(questions[1]) == {"tip-protocol", "som-protocol"}  # 'the UN Protocols'
    assert named(questions[2]) == set()
    assert named(questions[3]) == {"gpa", "agenda-2030", "unsc-2331", "unsc-2388", "gcm"}
    evidence = edges(t, "MENTIONS", questions[3])[(questions[3], "unsc-2388")]["evidence"]
    assert evidence == "Security Council resolutions 2331 and 2388"
    assert all(e["method"] == "cited" for e in edges(t, "MENTIONS").values())


# ------------------------------------------------------------------ shared helpers

def test_dates_symbols_and_pages_helpers():
    from loaders.text import find_dates, line_pages, normalize_symbol, symbol_id

    assert find_dates("6 to 8 September, Vienna", 2017).start == D(2017, 9, 6)
    assert find_dates("4 and 5 September 2017, Vienna").end == D(2017, 9, 5)
    month_only = find_dates("December 2017 (TBC) in New York")
    assert (month_only.start, month_only.year, month_only.month) == (None, 2017, 12)
    assert symbol_id("CTOC/COP/WG.4/2017/2") == "ctoc-cop-wg-4-2017-2"  # docs/ids.md example
    assert symbol_id(normalize_symbol("A/RES70/179")) == "a-res-70-179"
    lines = ["head", "", "", "", "p2", "2/3 V.17-00001", "", "¹ note", "p3", "V.17-00001 3/3"]
    assert line_pages(lines) == [1, 1, 1, 1, 2, 2, 3, 2, 3, 3]  # the footnote: page 2
    assert line_pages(["no", "footers"]) == [None, None]
