"""loaders.clean: every rule does what its table says, and cleaning never loses a word.

The examples are phrases copied from data/sources/003_2307a9ba4bf51685.txt (the co-facilitators'
summary), where the OCR noise was seen.
"""

from __future__ import annotations

import doctest
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import loaders.clean
from loaders.clean import CORRECTIONS, NOISE, clean_text, clean_with_changes, dropped_words, words

SOURCE = Path(__file__).resolve().parents[1] / "data/sources/003_2307a9ba4bf51685.txt"


# (raw as in the source, cleaned): one or more per correction.
CORRECTED = [
    ("contributions, including by 10M, UNODC and academic institutions",
     "contributions, including by IOM, UNODC and academic institutions"),
    ("pointed to the 10M's global review", "pointed to the IOM's global review"),
    ("Convention against Transnational Organized Grime (UNTOC)",
     "Convention against Transnational Organized Crime (UNTOC)"),
    ("in this respect. C'oncrete issues and recommendations",
     "in this respect. Concrete issues and recommendations"),
    ("2. Pane! on trafficking in persons", "2. Panel on trafficking in persons"),
    ("the illegal and clandestine nature ofthe crime",
     "the illegal and clandestine nature of the crime"),
    ("Synopsis ohlle main conclusions", "Synopsis of the main conclusions"),
    ("contemporary forms of slavery arid exploitation",
     "contemporary forms of slavery and exploitation"),
    ("during the informal' dialogue with", "during the informal dialogue with"),
    ("iii. Areas of discussion <I. Overarching frameworks",
     "III. Areas of discussion a. Overarching frameworks"),
    ("i. Introduction The fifth", "I. Introduction The fifth"),
    ("iv. Conclusions The fifth", "IV. Conclusions The fifth"),
    ("4. Summary panel m. Areas of discussion", "4. Summary panel III. Areas of discussion"),
    ("a mutuallyreinforcing relationship", "a mutually reinforcing relationship"),
    ("whole-of-government and wholeof-society approaches",
     "whole-of-government and whole-of-society approaches"),
    ("called for gendersensitive and victim-centered",
     "called for gender-sensitive and victim-centered"),
    ("checkpoints at borders that. are trained", "checkpoints at borders that are trained"),
    ("anti-smuggling or. anti-trafficking policies", "anti-smuggling or anti-trafficking policies"),
    ("collecting data in a rights-based, child - and gender-sensitive - manner..",
     "collecting data in a rights-based, child- and gender-sensitive manner."),
    ("Co-facilitators'summary CONTENTS", "Co-facilitators' summary CONTENTS"),
    ("In accordance with pa'ragraph 21 of AlRESI71/280,",
     "In accordance with paragraph 21 of A/RES/71/280,"),
    ("H.E. Mr. Juan Jose Gomez Camacho, Permanent",
     "H.E. Mr. Juan José Gómez Camacho, Permanent"),
    ("H.E. Mr. Jurg Lauber, Permanent", "H.E. Mr. Jürg Lauber, Permanent"),
    ('Mr. Mohamed Y. Matta!", Clinical Professor', "Mr. Mohamed Y. Mattar, Clinical Professor"),
    ("H.E. Mr. Leigh Tumer, Permanent", "H.E. Mr. Leigh Turner, Permanent"),
    ("H.E. Ms. Elisabeth Tichy-Fissiberger, Director",
     "H.E. Ms. Elisabeth Tichy-Fisslberger, Director"),
    ("~ Ms. Guinara Shahinyan, Expert", "Ms. Gulnara Shahinyan, Expert"),
    ("Ms. Hassiba Hadj Sabraoui, Humanitarian", "Ms. Hassiba Hadj Sahraoui, Humanitarian"),
]

# (raw as in the source, cleaned): one or more per kind of noise.
DENOISED = [
    # page numbers run into a sentence, then the site's page index of the next line
    ("effective implementation of the 2\n\n5 Smuggling Protocol requires",
     "effective implementation of the Smuggling Protocol requires"),
    ("called for human rights-based, holistic 3\n\n6 approaches to human trafficking",
     "called for human rights-based, holistic approaches to human trafficking"),
    ("the respective absence of 5\n\n8 specialized protocols",
     "the respective absence of specialized protocols"),
    ("Conclusions ANNEX: Programme of work\n\n4 i. Introduction",
     "Conclusions ANNEX: Programme of work I. Introduction"),
    # split words
    ("on the risks of migrant smuggling and human trafficki n g.. Empower victims",
     "on the risks of migrant smuggling and human trafficking. Empower victims"),
    # bullets as glyphs, alone or glued
    ("for consideration included:.. Accede to and ratify UNTOC",
     "for consideration included: Accede to and ratify UNTOC"),
    ("dialogues and negotiations e Develop a glossary",
     "dialogues and negotiations Develop a glossary"),
    ('distinction of the two crimes " Avoid narratives',
     "distinction of the two crimes Avoid narratives"),
    ("healthcare as well as socioeconomic support '\" Enhance financial",
     "healthcare as well as socioeconomic support Enhance financial"),
    ("and migrant smuggling., Strengthen capacity", "and migrant smuggling. Strengthen capacity"),
    ('regardless of status.. " Provide temporary', "regardless of status. Provide temporary"),
    ("supply chains with the private sector o Enact laws",
     "supply chains with the private sector Enact laws"),
    ("suspicious visa applications II Ensure the non-penalization",
     "suspicious visa applications Ensure the non-penalization"),
    ("organ removal, etc... Strengthen accountability",
     "organ removal, etc. Strengthen accountability"),
    ("founder and chair of Democracy Today m Mr. Mohamed",
     "founder and chair of Democracy Today Mr. Mohamed"),
    ("women and children a Ms. Bandana Pattanaik", "women and children Ms. Bandana Pattanaik"),
    ("conclusions and outcomes B Moderators present",
     "conclusions and outcomes Moderators present"),
]


@pytest.mark.parametrize("raw, cleaned", CORRECTED + DENOISED)
def test_a_phrase_from_the_summary_is_cleaned(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("raw", ["in phase II Consultations", "Plan B Something",
                                 "as a key contribution", "goals 5.2, 8.7 and 16.2 as",
                                 "held in Istanbul, Turkey, on 5 and 6 July and entitled",
                                 "the Grime of the city", "ANNEX - Programme of work"])
def test_words_the_document_could_really_say_are_left_alone(raw: str) -> None:
    assert clean_text(raw) == raw


def test_every_rule_is_named_once_and_says_why() -> None:
    names = [r.name for r in (*CORRECTIONS, *NOISE)]
    assert len(names) == len(set(names))
    assert all(len(r.why) > 10 for r in (*CORRECTIONS, *NOISE))


def test_every_correction_is_exercised_by_an_example_from_the_document() -> None:
    used = {c.rule for raw, _ in CORRECTED for c in clean_with_changes(raw)[1]}
    assert {r.name for r in CORRECTIONS} <= used


def test_every_correction_pattern_is_found_in_the_source() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    assert [r.name for r in CORRECTIONS if not r.pattern.search(text)] == []


def test_dropped_words_names_what_was_removed() -> None:
    raw = "human trafficki n g.. Empower, by 10M, holistic 3\n\n6 approaches e Develop"
    assert sorted(dropped_words(raw)) == sorted(["trafficki", "n", "g", "10M", "3", "6", "e"])


def test_the_doctests_pass() -> None:
    assert doctest.testmod(loaders.clean).failed == 0


# ------------------------------------------------------------------ properties
# words of the document proper (lines 14-38 of the file: the summary's pages 1-13)
_FRAGMENTS = SOURCE.read_text(encoding="utf-8").splitlines()[13:38]
_FRAGMENTS = [w for line in _FRAGMENTS for w in line.split()]
_NOISY = st.sampled_from(["..", ".,", '"', "'\"", "~", "e", "o", "II", "B", "m", "a", "3",
                          "12", "\n\n", "\n\n7 ", " ", "10M", "trafficki n g", "Pane!", ":..",
                          "etc...", " , ", " .", "<I.", "iii.", "Grime", "(", ")"])
_TEXT = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), _NOISY, st.text(max_size=12)),
                 max_size=40).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("")
@example("holistic 3\n\n6 approaches e Develop a glossary.. " + '" Avoid')
def test_cleaning_never_crashes_and_never_loses_a_word(raw: str) -> None:
    cleaned = clean_text(raw)
    lost = Counter(words(raw)) - Counter(words(cleaned))
    assert not lost - Counter(dropped_words(raw)), "words lost without a rule"
    assert "\n" not in cleaned and "  " not in cleaned


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_at_all_is_cleaned_without_losing_words(raw: str) -> None:
    cleaned = clean_text(raw)
    assert not (Counter(words(raw)) - Counter(words(cleaned))) - Counter(dropped_words(raw))


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_cleaned_text_is_left_as_it_is(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_every_change_comes_from_a_listed_rule(raw: str) -> None:
    listed = {r.name for r in (*CORRECTIONS, *NOISE)}
    assert {c.rule for c in clean_with_changes(raw)[1]} <= listed
