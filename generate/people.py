"""Synthetic people: names, addresses, postcodes, phone numbers and e-mails that look real but are not.

Nothing here is, or is drawn from, a record of a real person. Given names are common first names; family
names are invented by joining a stem and an ending ("Brackenthwaite"); streets and towns are made up;
phone numbers are in Ofcom's range kept for drama (07700 900xxx) and e-mails use example.com, which is
reserved for examples. Postcodes use real outward codes (areas, not people) with a few made-up inward
parts each (a fixed list, so the example postcode extract holds them all).
"""

from __future__ import annotations

import random

GIVEN_F = ("Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Ella", "Sophie", "Chloe",
           "Ruby", "Evie", "Aisha", "Zara", "Priya", "Hannah", "Megan", "Niamh", "Leah", "Jessica", "Emily",
           "Holly", "Maryam", "Fatima", "Sara", "Jade", "Ellie", "Poppy", "Layla")
GIVEN_M = ("Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Oscar", "Charlie", "Jacob", "Alfie", "Thomas",
           "Mohammed", "Ibrahim", "Yusuf", "Adam", "Ethan", "Liam", "Ryan", "Callum", "Kieran", "Daniel",
           "Joshua", "Samuel", "Lewis", "Aiden", "Kofi", "Tomasz", "Arjun", "Reece", "Owen")
_STEMS = ("Brack", "Dun", "Fell", "Hart", "Ash", "Wether", "Thorn", "Mar", "Kell", "Stan", "Bram", "Hol",
          "Ling", "Cran", "Ross", "Fen", "Wick", "Tal", "Pen", "Ox", "Bur", "Ald", "Gal", "Hes")
_ENDINGS = ("thwaite", "ley", "worth", "by", "combe", "ridge", "stock", "field", "hurst", "more", "wood",
            "ington", "sett", "den", "holme", "ford", "croft", "well")
_STREET_NAMES = ("Rowan", "Alder", "Hazel", "Juniper", "Larch", "Sorrel", "Teasel", "Bramble", "Linnet",
                 "Kestrel", "Wren", "Plover", "Fernlea", "Millbrook", "Coldharbour", "Quarry", "Orchard")
_STREET_KINDS = ("Road", "Street", "Close", "Avenue", "Lane", "Way", "Crescent", "Gardens", "Drive", "Terrace")
_TOWNS = ("Nettlebury", "Oakham Vale", "Brindlecombe", "Marshford", "Kelby Cross", "Fenwick Moor",
          "Ashby Parva", "Holmestead", "Calderwick", "Stannington Vale")
# real outward codes (postal districts) of English towns and cities: areas, never an address
OUTWARD = ("B1", "B23", "BR1", "BR2", "CV1", "CV2", "DE14", "NR14", "BB1", "LS6", "LS11", "M14", "M20", "NE4",
           "NE6", "S10", "S2", "L8", "L15", "BS3", "BS16", "NG7", "LE2", "SO14", "PL4", "TS1", "HU5", "YO10",
           "WV3", "ST4", "DN4", "WF1", "BD7", "SR2", "MK9", "PE1", "CB1", "OX4", "RG1", "E2", "N17", "SE15")
# the inward unit's letters never include C, I, K, M, O or V
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def sex_and_given(rng: random.Random) -> tuple[str, str]:
    sex = rng.choice("FM")
    return sex, rng.choice(GIVEN_F if sex == "F" else GIVEN_M)


def family_name(rng: random.Random) -> str:
    return rng.choice(_STEMS) + rng.choice(_ENDINGS)


UNITS_PER_DISTRICT = 4


def district_units(outward: str) -> tuple[str, ...]:
    """The few made-up units the generator uses in a district: a fixed list, so the example reference data
    (examples/refdata/postcodes.csv) can hold every postcode a generated return has."""
    j = sum(ord(ch) for ch in outward)
    n = len(_INWARD_LETTERS)
    return tuple(f"{(j + k) % 9 + 1}{_INWARD_LETTERS[(3 * j + 5 * k) % n]}{_INWARD_LETTERS[(7 * j + 11 * k) % n]}"
                 for k in range(UNITS_PER_DISTRICT))


def all_postcodes() -> list[str]:
    """Every postcode ``postcode`` can give for the districts in OUTWARD."""
    return [f"{out} {unit}" for out in OUTWARD for unit in district_units(out)]


def postcode(rng: random.Random, outward: str | None = None) -> str:
    """A postcode in the right format (``LS6 2QT``), in a real district with one of its made-up units."""
    out = outward or rng.choice(OUTWARD)
    # the same draws as a free unit would take, so the rest of a seeded return does not move
    pick = rng.randint(1, 9) * 400 + _INWARD_LETTERS.index(rng.choice(_INWARD_LETTERS)) * 20 \
        + _INWARD_LETTERS.index(rng.choice(_INWARD_LETTERS))
    units = district_units(out)
    return f"{out} {units[pick % len(units)]}"


def address(rng: random.Random) -> tuple[str, str]:
    """(first line, town): ``14 Rowan Close``, ``Nettlebury``."""
    return (f"{rng.randint(1, 180)} {rng.choice(_STREET_NAMES)} {rng.choice(_STREET_KINDS)}",
            rng.choice(_TOWNS))


def phone(rng: random.Random) -> str:
    """A mobile number from the range Ofcom keeps for fiction, so it can never ring anyone."""
    return f"07700900{rng.randint(0, 999):03d}"


def email(given: str, family: str, n: int) -> str:
    return f"{given}.{family}{n % 100}@example.com".lower()
