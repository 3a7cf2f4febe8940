"""Generated inputs of doubling size, and a CPU-time growth check, for the linearity tests.

Each shape is a function of a size in characters; `growth` times a function on sizes n, 2n
and 4n (CPU time, best of 3) and returns t(4n) / t(n): about 4 when linear, 16 when
quadratic.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

PROSE = [
    "On 12 March 2024, police in Almaty detained five activists of the Democratic Choice of "
    "Kazakhstan movement who had gathered outside the akimat.",
    "Human Rights Watch said the arrests violated Kazakhstan's obligations under the "
    "International Covenant on Civil and Political Rights.",
    "The Interior Ministry denied that anyone had been beaten in custody, but lawyer Aigerim "
    "Nurlanovna told reporters her client was tortured on 14 March.",
    "Last week a court in Bishkek sentenced the journalist Bolot Temirov to five years in "
    "prison for \"calls to mass unrest\", according to Kloop, an independent outlet.",
    "Riot police fired tear gas at protesters in Tashkent and Dushanbe; at least two people "
    "were killed and dozens injured, the UN Office of the High Commissioner said on Monday.",
    "Mr. Tokayev signed the law in April 2023, two years after parliament first debated it.",
    "Security forces in Uzbekistan, Tajikistan and Turkmenistan have arrested bloggers, "
    "closed newspapers and blocked websites since 2019.",
    "\"We will not be silenced,\" said Dr. Karimova, director of the Bureau for Human Rights, "
    "who was released from detention on Friday.",
]
TRIGGERS = ["arrested", "detained", "killed", "tortured", "beaten", "shot", "sentenced", "jailed",
            "abducted", "released", "protested", "banned", "fined", "charged", "raped", "attacked",
            "fired", "raided", "deported"]
NAMES = ["Vladimir", "Kozlov", "Aigerim", "Nurlanovna", "Bolot", "Temirov", "Ministry", "Justice",
         "Supreme", "Court", "Human", "Rights", "Watch", "Amnesty", "International",
         "Kassym-Jomart", "Tokayev", "Karimova", "Committee", "Against", "Torture", "President",
         "Prime", "Minister", "Democratic", "Choice", "Party"]
DATES = ["12 March 2024", "on Monday", "2023-05-01", "in May 2021", "last week",
         "two years ago", "5/6/2020", "at 10:30 a.m.", "since 1998", "the third quarter",
         "Friday, June 7, 2024", "every year", "the 1990s", "yesterday morning"]
COUNTRIES = ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan",
             "Russia", "France", "the United States", "Georgia", "Almaty", "Tashkent",
             "Kazakh", "Central Asia", "Iran", "South Sudan", "Congo"]


def _fill(parts: list[str], sep: str, size: int) -> str:
    """parts in order, joined by sep and repeated whole, to at least size characters."""
    unit = sep.join(parts) + sep
    return (unit * -(-size // len(unit)))[: -len(sep) or None]


def prose(size: int) -> str:
    """Ordinary prose: realistic sentences, paragraphs of four."""
    paras = [" ".join(PROSE[i:i + 4]) for i in range(0, len(PROSE), 4)]
    return _fill(paras, "\n\n", size)


def one_sentence(size: int) -> str:
    """One huge sentence: the prose's words with no punctuation and no line break."""
    words = [w.strip(".,;:\"'") for s in PROSE for w in s.split()]
    return _fill([w for w in words if w], " ", size)


def triggers(size: int) -> str:
    return _fill(TRIGGERS, " ", size)


def trigger_sentences(size: int) -> str:
    return _fill(["Police detained protesters.", "Soldiers killed two farmers.",
                  "The court sentenced him."], " ", size)


def names(size: int) -> str:
    return _fill(NAMES, " ", size)


def dates(size: int) -> str:
    return _fill(DATES, ", ", size)


def countries(size: int) -> str:
    """Country names, cities, nationalities (and two ambiguous ones, Congo and Georgia), then
    a long run of spaces after a name's first word."""
    return _fill(COUNTRIES, " ", size - size // 4) + spaced_names(size // 4)


def lower(size: int) -> str:
    return prose(size).lower()


def punctuation(size: int) -> str:
    """Odd characters: brackets, quotes, full stops, line breaks, mojibake."""
    return _fill(["<", "a.", "(", "\"", "”", "\n", "U.S.", ")", "â€™", "...", "?", "-", "'s"],
                 " ", size)


def spaced_names(size: int) -> str:
    """The first word of a longer place name ("United"), then only spaces: one run that
    grows with the size."""
    return " United" + " " * max(0, size - 8) + "."


def numbers(size: int) -> str:
    """Numbers, number words and years, the date tagger's hardest tokens."""
    return _fill(["1", "2,000", "twenty-four", "nineteen ninety-six", "2024", "3/4", "one",
                  "hundred", "10:30", "1.1.2020", "'80s", "May"], " ", size)


def acronyms(size: int) -> str:
    """Acronyms the theme stage spells out, and joined lists of them."""
    return _fill(["CAT/OP-CAT", "CEDAW", "ICCPR", "UPR", "HIV/AIDS", "NGOs", "OHCHR"], " ", size)


SHAPES: dict[str, Callable[[int], str]] = {
    "prose": prose, "one_sentence": one_sentence, "triggers": triggers,
    "trigger_sentences": trigger_sentences, "names": names, "dates": dates,
    "countries": countries, "lower": lower, "punctuation": punctuation,
    "spaced_names": spaced_names, "numbers": numbers, "acronyms": acronyms,
}


def cpu(fn: Callable[[Any], object], arg: Any, repeat: int = 3) -> float:
    """Best CPU time of `repeat` calls of fn(arg), the garbage collector held off while timing
    (a pass costs what the whole heap holds, not what the work timed does)."""
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        try:
            t = time.process_time()
            fn(arg)
            best = min(best, time.process_time() - t)
        finally:
            gc.enable()
    return best


def growth(fn: Callable[[Any], object], make: Callable[[int], Any], n: int,
           min_time: float = 0.02, max_n: int = 1 << 21) -> tuple[float, list[float], int]:
    """(t(4n) / t(n), [t(n), t(2n), t(4n)], n) for the texts make(n), make(2n), make(4n);
    n is first doubled until t(n) reaches min_time (or max_n), so that times are measurable."""
    fn(make(n))  # warm caches and lazy loads
    t1 = cpu(fn, make(n))
    while t1 < min_time and n < max_n:
        n *= 2
        t1 = cpu(fn, make(n))
    times = [t1, cpu(fn, make(2 * n)), cpu(fn, make(4 * n))]
    return times[2] / max(times[0], 1e-9), times, n


BOUND = 7.0  # t(4n) / t(n): about 4 when linear, 16 when quadratic


def assert_linear(fn: Callable[[Any], object], make: Callable[[int], Any], n: int,
                  label: str, bound: float = BOUND) -> None:
    """Assert that fn's CPU time on make(4n) stays under `bound` times that on make(n);
    measured twice before failing, as a busy machine can slow one run."""
    for _attempt in range(2):
        ratio, times, n = growth(fn, make, n)
        if ratio < bound:
            return
    ms = ", ".join(f"{t * 1000:.1f}" for t in times)
    raise AssertionError(f"{label}: t(4n)/t(n) = {ratio:.1f} >= {bound} "
                         f"(n = {n}, times n/2n/4n = {ms} ms)")
