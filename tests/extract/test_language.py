"""The language guess: from the share of a language's function words, or none when the
text is short or no language stands out."""

import pytest

from archivekit.extract.language import guess
from conftest import SEED

SAMPLES = {
    "en": "The council met on Tuesday and agreed that the library is to stay open for longer "
          "hours in the winter, with a new reading room on the ground floor that was paid for "
          "by the town as part of a plan to bring more people in to the centre.",
    "de": "Der Rat hat am Dienstag beschlossen, dass die Bibliothek im Winter länger geöffnet "
          "ist und auch einen neuen Lesesaal bekommt, den die Stadt mit den Mitteln aus dem "
          "Haushalt bezahlt, und das ist nicht die einzige Neuerung, die sich die Bürger "
          "gewünscht haben.",
    "fr": "Le conseil a décidé mardi que la bibliothèque est ouverte plus tard pendant "
          "l'hiver, et que les habitants qui le souhaitent pourront utiliser une salle de "
          "lecture dans le centre pour étudier, ce qui est une bonne nouvelle pour les "
          "étudiants de la ville qui ne sont pas loin.",
    "es": "El consejo decidió el martes que la biblioteca abrirá más horas durante el "
          "invierno, con una nueva sala de lectura para los vecinos que la piden desde hace "
          "años, y que el presupuesto del ayuntamiento cubre las obras por completo con los "
          "fondos de las tasas.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_prose_is_guessed_as_its_language(language):
    assert guess(SAMPLES[language]) == language


def test_capitals_count_as_the_words_they_are():
    assert guess(SAMPLES["en"].upper()) == "en"


def test_a_real_clipping_is_english():
    assert guess(SEED.read_text("utf-8")) == "en"


def test_too_few_words_or_no_function_words_guess_nothing():
    assert guess(" ".join(SAMPLES["en"].split()[:29])) is None       # 29 words
    assert guess(" ".join(SAMPLES["en"].split()[:30])) == "en"
    assert guess("2024 1 2 3 " * 50) is None                         # numbers are no words
    assert guess(" ".join(SAMPLES["en"].split()[:25]) + " 1 2 3 4 5 6 7 8 9 10") is None
    assert guess(" ".join(f"name{n} word" for n in range(40))) is None


def test_only_the_first_20000_characters_are_read():
    assert guess(" " * 20_000 + SAMPLES["de"]) is None
    assert guess(" " * 19_000 + SAMPLES["de"]) == "de"
