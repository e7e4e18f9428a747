"""Deterministic generator of a FICTITIOUS demonstration data set sized like Québec's social economy.

The order of magnitude follows the ISQ portrait (2022: about 11 360 enterprises, 248 000 jobs, 53,6 G$ of
revenue, big financial co-operatives and mutuals included). Every name, NEQ and figure is invented: nothing
here describes a real enterprise.

    from ess_impact.store import demo
    frame = demo.generate()            # one row per enterprise and year, columns = fields.FIELDS keys

The figures are written (flagged as demo) by `history.load_demo`.

Only `numpy.random.default_rng(seed)` is used: the same seed always gives the same DataFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ess_impact import fields, reference

DEMO_LABEL_FR = "Données fictives de démonstration"
DEMO_LABEL_EN = "Fictitious demonstration data"

COLUMNS: tuple[str, ...] = tuple(f.key for f in fields.FIELDS)

LEGAL_FORMS = ("COOP", "OBNL", "MUT")
LEGAL_FORM_SHARES = (0.30, 0.69, 0.01)

SECTORS = ("HAB", "SAN", "LOI", "ART", "EDU", "AGR", "ENV", "COM", "SER", "FIN", "RES", "TRA", "INS", "AUT")

# Sector mix given the legal form (each row sums to 1).
_SECTOR_MIX = {
    "COOP": {"HAB": .25, "AGR": .12, "COM": .14, "FIN": .06, "SER": .08, "RES": .07, "EDU": .06, "LOI": .05,
             "ART": .04, "SAN": .05, "TRA": .03, "ENV": .02, "AUT": .03},
    "OBNL": {"SAN": .24, "LOI": .15, "ART": .15, "EDU": .14, "HAB": .09, "INS": .03, "ENV": .04, "COM": .02,
             "SER": .03, "AGR": .02, "RES": .01, "TRA": .01, "FIN": .01, "AUT": .06},
    "MUT": {"FIN": .85, "SAN": .10, "AUT": .05},
}

# Latent size: median number of jobs and log-spread, by sector (legal form adjustments in _sizes).
_JOBS_MEDIAN = {"HAB": 2, "SAN": 11, "LOI": 7, "ART": 5, "EDU": 24, "AGR": 12, "ENV": 10, "COM": 10, "SER": 8,
                "FIN": 45, "RES": 14, "TRA": 10, "INS": 20, "AUT": 5}
_JOBS_SIGMA = {"HAB": 1.2, "SAN": 1.15, "LOI": 1.2, "ART": 1.15, "EDU": 0.8, "AGR": 1.5, "ENV": 1.0, "COM": 1.2,
               "SER": 1.1, "FIN": 1.3, "RES": 1.2, "TRA": 1.0, "INS": 0.8, "AUT": 1.2}
# Revenue per job (median, $).
_REVENUE_PER_JOB = {"HAB": 95_000, "SAN": 68_000, "LOI": 85_000, "ART": 78_000, "EDU": 72_000, "AGR": 280_000,
                    "ENV": 85_000, "COM": 190_000, "SER": 115_000, "FIN": 420_000, "RES": 150_000,
                    "TRA": 120_000, "INS": 75_000, "AUT": 85_000}
# Share of revenue earned (sales, dues) by sector.
_EARNED_SHARE = {"HAB": .78, "SAN": .30, "LOI": .62, "ART": .45, "EDU": .35, "AGR": .92, "ENV": .55, "COM": .92,
                 "SER": .82, "FIN": .96, "RES": .86, "TRA": .80, "INS": .38, "AUT": .45}
# Median number of members of a co-operative, by sector.
_COOP_MEMBERS = {"HAB": 30, "SAN": 600, "LOI": 250, "ART": 80, "EDU": 2_500, "AGR": 300, "ENV": 150,
                 "COM": 1_500, "SER": 40, "FIN": 9_000, "RES": 45, "TRA": 60, "INS": 30, "AUT": 200}

_COVID = {2020: -0.35, 2021: -0.10}  # LOI and ART activity, log scale

# ---------------------------------------------------------------------------------------------------------- names
_PREFIXES = {
    ("COOP", "HAB"): ("Coopérative d'habitation", "Coop d'habitation", "Coopérative d'habitation"),
    ("COOP", "FIN"): ("Caisse coopérative", "Coopérative de crédit", "Coopérative d'épargne et de crédit"),
    ("COOP", "AGR"): ("Coopérative agricole", "Coopérative de producteurs", "Coop maraîchère"),
    ("COOP", "COM"): ("Café-coop", "Coopérative d'alimentation", "Épicerie coopérative", "Coop de consommateurs"),
    ("COOP", "SER"): ("Coopérative de travailleurs", "Coop de services numériques", "Coopérative de travail"),
    ("COOP", "RES"): ("Coopérative forestière", "Coopérative de travailleurs forestiers", "Coop de menuiserie"),
    ("COOP", "EDU"): ("Coopérative scolaire", "Coop étudiante", "Coopérative de formation"),
    ("COOP", "LOI"): ("Coopérative de solidarité récréotouristique", "Coop plein air", "Café-coop"),
    ("COOP", "ART"): ("Coopérative de solidarité culturelle", "Coop d'artistes", "Coopérative de producteurs d'art"),
    ("COOP", "SAN"): ("Coopérative de solidarité en santé", "Coopérative de services à domicile",
                      "Coopérative de solidarité"),
    ("COOP", "TRA"): ("Coopérative de transport", "Coop de taxi", "Coopérative de covoiturage"),
    ("COOP", "ENV"): ("Coopérative de solidarité", "Écocentre coopératif", "Coop de récupération"),
    ("COOP", "INS"): ("Coopérative de travail", "Coopérative de solidarité"),
    ("COOP", "AUT"): ("Coopérative de solidarité", "Coop multiservice", "Coopérative de développement"),
    ("OBNL", "SAN"): ("Maison de la famille", "Centre communautaire", "Carrefour d'entraide", "Popote roulante",
                      "Maison des jeunes", "Centre d'action bénévole"),
    ("OBNL", "LOI"): ("Centre de loisirs", "Base de plein air", "Club de ski de fond", "Camp de vacances",
                      "Centre communautaire"),
    ("OBNL", "ART"): ("Théâtre", "Centre d'artistes", "Festival", "Radio communautaire", "Diffusion culturelle"),
    ("OBNL", "EDU"): ("CPE", "Centre de la petite enfance", "Centre d'alphabétisation", "CPE"),
    ("OBNL", "HAB"): ("Habitations", "Habitations communautaires", "Résidence communautaire"),
    ("OBNL", "INS"): ("Entreprise d'insertion", "Atelier d'insertion", "Plateau de travail"),
    ("OBNL", "ENV"): ("Ressourcerie", "Écocentre communautaire", "Friperie", "Ressourcerie"),
    ("OBNL", "COM"): ("Friperie", "Épicerie solidaire", "Marché de solidarité"),
    ("OBNL", "SER"): ("Centre de services aux organismes", "Centre de services informatiques communautaire"),
    ("OBNL", "AGR"): ("Jardins collectifs", "Ferme communautaire", "Cuisines collectives"),
    ("OBNL", "RES"): ("Atelier de menuiserie", "Chantier communautaire"),
    ("OBNL", "TRA"): ("Transport adapté", "Transport collectif"),
    ("OBNL", "FIN"): ("Fonds d'emprunt communautaire", "Cercle d'emprunt"),
    ("OBNL", "AUT"): ("Corporation de développement communautaire", "Centre communautaire",
                      "Société de développement"),
    ("MUT", "FIN"): ("Mutuelle d'assurance", "Mutuelle", "Mutuelle de prévention"),
    ("MUT", "SAN"): ("Mutuelle de santé",),
    ("MUT", "AUT"): ("Mutuelle",),
}
_GENERIC_PREFIX = {"COOP": ("Coopérative de solidarité",), "OBNL": ("Centre communautaire",), "MUT": ("Mutuelle",)}

_QUALIFIERS = (
    "La Courtepointe", "L'Envolée", "Le Sextant", "La Boussole", "Le Grand Héron", "Les Quatre-Vents",
    "La Mésange", "Le Fanal", "La Passerelle", "L'Érablière", "Le Bercail", "La Ruchée", "Le Sillon", "La Marée",
    "L'Étincelle", "Le Carrousel", "La Clairière", "Le Phare bleu", "La Grande Ourse", "L'Îlot", "Le Bouleau",
    "La Pruche", "Le Cormoran", "La Bruyère", "Le Fil d'Ariane", "La Lanterne", "Le Jardin suspendu",
    "La Tisserande", "Le Quai", "La Volière", "L'Aurore", "Le Colibri", "La Citrouille", "Le Quartier vert",
    "La Savane", "Le Moulin à vent", "La Ciboulette", "Le Tamarack", "La Chouette", "Le Castor", "La Huppe",
    "L'Oasis", "Le Pignon", "La Corvée", "Le Cerf-volant", "La Girouette", "Le Canot", "L'Aviron", "La Pagaie",
    "Le Portage", "L'Écluse", "La Grange", "Le Hangar", "La Forge", "L'Atelier bleu", "Le Rucher",
    "La Fourmilière", "Le Nénuphar", "La Marguerite", "Le Trèfle", "L'Églantier", "La Sauge", "Le Cèdre",
    "Le Sureau", "La Rosée", "Le Grésil", "La Bourrasque", "L'Embellie", "Le Zéphyr", "La Comète",
    "Le Tournesol", "La Pommeraie", "L'Amélanchier", "Le Chêne", "La Vigne", "Le Bleuet", "La Framboise",
    "L'Outarde", "Le Harfang", "La Sarcelle", "Le Fou de Bassan", "La Pointe d'Aiguille", "Le Mascaret",
)
# Invented place names: "{article}{feature}-{complement}".
_FEATURES = (("du ", "Lac"), ("de la ", "Rivière"), ("du ", "Mont"), ("de l'", "Anse"), ("de la ", "Pointe"),
             ("du ", "Rang"), ("du ", "Coteau"), ("du ", "Vallon"), ("du ", "Plateau"), ("du ", "Rocher"),
             ("de la ", "Baie"), ("du ", "Cap"), ("de l'", "Île"), ("du ", "Ruisseau"), ("du ", "Val"),
             ("de la ", "Colline"), ("du ", "Boisé"), ("de la ", "Savane"))
_COMPLEMENTS = ("aux-Sarcelles", "des-Loutres", "à-l'Orignal", "des-Épinettes", "aux-Bleuets", "des-Trois-Cèdres",
                "du-Héron", "aux-Hirondelles", "des-Brumes", "aux-Outardes-Blanches", "des-Mélèzes", "aux-Pruches",
                "des-Huards", "à-la-Truite", "des-Merisiers", "aux-Fougères", "des-Grives", "du-Vieux-Four",
                "aux-Corneilles", "des-Sept-Chutes", "à-la-Perdrix", "des-Aulnes", "aux-Framboisiers",
                "des-Bécassines", "du-Moulin-Rouge", "des-Grands-Vents", "aux-Cerises", "des-Castors-Gris",
                "à-Bastien", "des-Ormes", "aux-Quenouilles")


DEFAULT_SEED = 2026  # the demo data set everyone sees; another seed gives another fictitious population

def _place(feature: int, complement: int) -> str:
    article, word = _FEATURES[feature]
    return f"{article}{word}-{_COMPLEMENTS[complement]}"


def _names(rng: np.random.Generator, forms: np.ndarray, sectors: np.ndarray) -> list[str]:
    n = len(forms)
    pick = rng.random(n)
    qual = rng.integers(0, len(_QUALIFIERS), n)
    feat = rng.integers(0, len(_FEATURES), n)
    comp = rng.integers(0, len(_COMPLEMENTS), n)
    style = rng.random(n)  # < .6: prefix + qualifier + place; else prefix + place
    names: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        prefixes = _PREFIXES.get((forms[i], sectors[i]), _GENERIC_PREFIX[forms[i]])
        prefix = prefixes[int(pick[i] * len(prefixes))]
        q, f, c = int(qual[i]), int(feat[i]), int(comp[i])
        with_qualifier = style[i] < 0.6
        attempt = 0
        while True:
            if with_qualifier:
                name = f"{prefix} {_QUALIFIERS[q]} {_place(f, c)}"
            else:
                name = f"{prefix} {_place(f, c)}"
            if name not in seen:
                break
            # Deterministic walk through the other combinations until a free one.
            attempt += 1
            with_qualifier = True
            q = (q + 7 * attempt) % len(_QUALIFIERS)
            c = (c + attempt) % len(_COMPLEMENTS)
            if attempt % len(_COMPLEMENTS) == 0:
                f = (f + 1) % len(_FEATURES)
        seen.add(name)
        names.append(name)
    return names


# ------------------------------------------------------------------------------------------------------ helpers
def _lookup(table: dict[str, float], codes: np.ndarray) -> np.ndarray:
    return pd.Series(codes).map(table).to_numpy(dtype=float)


def _missing(rng: np.random.Generator, shape: tuple[int, int], rate: float, persistent: float = 0.7) -> np.ndarray:
    """Missing-value mask at `rate`: mostly the same enterprises every year, the rest at random."""
    a = rate * persistent
    b = 1 - (1 - rate) / (1 - a)
    return (rng.random(shape[0])[:, None] < a) | (rng.random(shape) < b)


def _neqs(rng: np.random.Generator, n: int) -> np.ndarray:
    body = rng.choice(10**8, size=n, replace=False)
    prefix = np.where(rng.random(n) < 0.8, 11, 33).astype(np.int64)
    return np.char.zfill((prefix * 10**8 + body).astype(str), 10)


def _mrc_allocation(rng: np.random.Generator, mrc: pd.DataFrame, n: int) -> np.ndarray:
    """Number of enterprises per MRC: ∝ population^0.92 with noise, at least 3 each."""
    pop = mrc["population"].to_numpy(dtype=float)
    minimum = min(3, n // len(pop))
    weights = pop**0.92 * rng.lognormal(0.0, 0.2, len(pop))
    counts = minimum + rng.multinomial(n - minimum * len(pop), weights / weights.sum())
    return counts


# ------------------------------------------------------------------------------------------------------ generate
def generate(seed: int = DEFAULT_SEED, years: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024),
             n_enterprises: int = 11_360) -> pd.DataFrame:
    """One row per enterprise and reporting year, columns = keys of fields.FIELDS, in that order.

    `n_enterprises` distinct enterprises over the period; births, deaths and non-response leave roughly
    85–90 % of them reporting in any given year.
    """
    rng = np.random.default_rng(seed)
    years = tuple(int(y) for y in years)
    if not years:
        raise ValueError("years must not be empty")
    if list(years) != sorted(set(years)):
        raise ValueError("years must be strictly increasing")
    n, n_years = int(n_enterprises), len(years)
    if n < 1:
        raise ValueError("n_enterprises must be ≥ 1")
    shape = (n, n_years)
    year_arr = np.asarray(years)

    # --- static attributes
    forms = np.asarray(LEGAL_FORMS)[rng.choice(3, size=n, p=LEGAL_FORM_SHARES)]
    sectors = np.empty(n, dtype=object)
    for form, mix in _SECTOR_MIX.items():
        idx = np.flatnonzero(forms == form)
        codes, p = list(mix), np.asarray(list(mix.values()))
        sectors[idx] = np.asarray(codes)[rng.choice(len(codes), size=len(idx), p=p / p.sum())]
    sectors = sectors.astype(str)
    is_coop, is_obnl, is_mut = forms == "COOP", forms == "OBNL", forms == "MUT"

    mrc_ref = reference.mrcs()
    mrc_codes = mrc_ref["code"].to_numpy(dtype=str)
    counts = _mrc_allocation(rng, mrc_ref, n)
    mrc_idx = rng.permutation(np.repeat(np.arange(len(mrc_codes)), counts))
    # one "anchor" enterprise per MRC reports every year and never moves: every MRC is present every year
    anchor = np.zeros(n, dtype=bool)
    _, first = np.unique(mrc_idx, return_index=True)
    anchor[first] = True

    neq = _neqs(rng, n)
    names = np.asarray(_names(rng, forms, sectors), dtype=object)

    # --- presence: births, deaths, non-response
    if n_years > 1:
        birth = np.where(rng.random(n) < 0.12, rng.integers(1, n_years, n), 0)
        last = np.where(rng.random(n) < 0.08, rng.integers(0, n_years - 1, n), n_years - 1)
        last = np.where(last < birth, n_years - 1, last)
    else:
        birth = np.zeros(n, dtype=int)
        last = np.zeros(n, dtype=int)
    birth[anchor], last[anchor] = 0, n_years - 1
    col = np.arange(n_years)[None, :]
    active = (col >= birth[:, None]) & (col <= last[:, None]) & (rng.random(shape) >= 0.02)
    active[anchor] = True
    empty = ~active.any(axis=1)
    active[empty, birth[empty]] = True

    # --- latent size (continuous number of jobs) and its trajectory
    z = rng.standard_normal(n)
    log_size = np.log(_lookup(_JOBS_MEDIAN, sectors)) + _lookup(_JOBS_SIGMA, sectors) * z
    log_size += np.where(is_mut, 0.6, 0.0) + np.where(is_coop & (sectors == "HAB"), -1.2, 0.0)
    log_size += np.where(is_obnl & (sectors == "FIN"), -2.5, 0.0)  # community loan funds are small
    log_size += np.where(is_obnl & np.isin(sectors, ("AGR", "COM", "RES", "TRA", "SER")), -1.0, 0.0)
    log_size += np.log(1.2)  # overall calibration: ≈ 240 000 jobs and ≈ 50 G$ per year
    # only financial co-operatives and mutuals go past ~1 000 jobs (plus the giants below)
    log_size = np.minimum(log_size, np.log(np.where((sectors == "FIN") & ~is_obnl, 3_000, np.where(is_obnl, 650, 900))))
    volunteer_run = is_obnl & (rng.random(n) < 0.22)  # run by volunteers: no or almost no staff
    log_size += np.where(volunteer_run, np.log(0.04), 0.0)
    log_size += np.where(birth > 0, np.log(0.5), 0.0)  # newcomers start small
    # a handful of giants: financial co-operatives / mutuals and large agri-food co-operatives
    big_pool = np.flatnonzero((sectors == "FIN") & ~is_obnl & ~anchor)
    agr_pool = np.flatnonzero((sectors == "AGR") & is_coop & ~anchor)
    giants = np.concatenate([rng.choice(big_pool, min(6, len(big_pool)), replace=False),
                             rng.choice(agr_pool, min(2, len(agr_pool)), replace=False)])
    log_size[giants] = np.log(rng.uniform(1_500, 8_000, len(giants)))
    birth[giants], last[giants] = 0, n_years - 1
    active[giants] = True
    log_size = np.minimum(log_size, np.log(9_000))

    growth = rng.normal(0.02, 0.07, shape).clip(-0.4, 0.4)
    growth[:, 0] = 0.0
    trend = np.cumsum(growth, axis=1)
    covid = np.array([_COVID.get(y, 0.0) for y in years])[None, :] * np.isin(sectors, ("LOI", "ART"))[:, None]
    size = np.exp(log_size[:, None] + trend + covid)  # latent jobs

    ft_share = rng.beta(np.where(is_obnl, 2.0, 3.5), np.where(is_obnl, 2.6, 1.8))
    ft_share = np.where(sectors == "FIN", np.maximum(ft_share, 0.7), ft_share)
    share_t = (ft_share[:, None] + rng.normal(0, 0.03, shape)).clip(0, 1)
    jobs_ft = np.rint(size * share_t)
    jobs_pt = np.rint(size * (1 - share_t) * np.exp(rng.normal(0, 0.05, shape)))
    jobs = jobs_ft + jobs_pt

    # --- revenue: proportional to the latent size plus a base (rents, sales without staff)
    per_job = (_lookup(_REVENUE_PER_JOB, sectors) * rng.lognormal(0, 0.3, n)).clip(30_000, 620_000)
    base_median = np.where(is_coop & (sectors == "HAB"), 140_000, 18_000)
    base = (base_median * rng.lognormal(0, 0.8, n)).clip(1_500, 600_000)
    revenue = (size * per_job[:, None] + base[:, None] * np.exp(trend)) * np.exp(rng.normal(0, 0.05, shape))
    revenue = np.maximum(np.rint(revenue), 500.0)
    cap = np.floor(jobs * 980_000)
    revenue = np.where((jobs > 0) & (revenue > cap), cap, revenue)

    earned_mean = _lookup(_EARNED_SHARE, sectors)
    k = 12.0
    earned_share = rng.beta(earned_mean * k, (1 - earned_mean) * k)
    earned_t = (earned_share[:, None] + rng.normal(0, 0.03, shape)).clip(0, 1)
    grants_share = rng.beta(6, 2, n)  # part of the non-earned revenue that is public grants
    grants_t = (grants_share[:, None] + rng.normal(0, 0.03, shape)).clip(0, 1)
    revenue_earned = np.floor(revenue * earned_t)
    revenue_grants = np.floor((revenue - revenue_earned) * grants_t)

    # --- hours and payroll
    hours_ft = rng.normal(1_750, 90, n).clip(1_450, 2_050)
    hours_pt = rng.normal(800, 150, n).clip(350, 1_300)
    paid_hours = np.rint((jobs_ft * hours_ft[:, None] + jobs_pt * hours_pt[:, None])
                         * np.exp(rng.normal(0, 0.04, shape)))
    wage = rng.uniform(22, 33, n)[:, None] * (1.03 ** (year_arr - years[0]))[None, :]
    wage = np.minimum(wage, 35.0)
    payroll = np.rint(np.minimum(paid_hours * wage, revenue * 0.85))

    # --- volunteers and members
    vol_median = np.where(is_obnl, 18.0, np.where(is_coop, 7.0, 10.0))
    vol_median = vol_median * np.where(np.isin(sectors, ("SAN", "LOI", "ART")) & is_obnl, 1.6, 1.0)
    volunteers0 = vol_median * rng.lognormal(0, 0.9, n)
    no_volunteers = rng.random(n) < np.where(is_obnl, 0.10, np.where(is_coop, 0.25, 0.30))
    vol_covid = np.array([-0.2 if y == 2020 else 0.0 for y in years])[None, :]
    volunteers = np.rint(volunteers0[:, None] * np.exp(rng.normal(0, 0.1, shape) + vol_covid))
    volunteers[no_volunteers] = 0
    hours_per_vol = rng.lognormal(np.log(50), 0.45, n).clip(20, 150)
    vh_t = (hours_per_vol[:, None] * np.exp(rng.normal(0, 0.08, shape))).clip(20, 150)
    volunteer_hours = np.rint(volunteers * vh_t)

    members_median = np.where(is_coop, _lookup(_COOP_MEMBERS, sectors), np.where(is_mut, 20_000.0, 60.0))
    members0 = members_median * rng.lognormal(0, np.where(is_mut, 1.2, 0.9), n)
    members = np.rint(members0[:, None] * np.exp(np.cumsum(rng.normal(0.01, 0.03, shape), axis=1)))

    # --- missing values in optional columns
    paid_hours[_missing(rng, shape, 0.20)] = np.nan
    payroll[_missing(rng, shape, 0.25)] = np.nan
    revenue_earned[_missing(rng, shape, 0.10)] = np.nan
    revenue_grants[_missing(rng, shape, 0.10)] = np.nan
    volunteers[_missing(rng, shape, 0.10)] = np.nan
    members_rate = np.where(is_obnl, 0.35, np.where(is_coop, 0.08, 0.05))
    members[(rng.random(n)[:, None] < members_rate[:, None] * 0.8) | (rng.random(shape) < 0.03)] = np.nan

    # --- MRC per year: a rare move (≈ 0.3 % of enterprises)
    mrc_t = np.repeat(mrc_idx[:, None], n_years, axis=1)
    if n_years > 1:
        movable = np.flatnonzero(~anchor & (last > birth))
        movers = rng.choice(movable, size=min(len(movable), int(round(0.003 * n))), replace=False)
        regions = mrc_ref["region_code"].to_numpy(dtype=str)
        for i in movers:  # a few dozen at most
            candidates = np.flatnonzero((regions == regions[mrc_idx[i]]) & (np.arange(len(regions)) != mrc_idx[i]))
            if len(candidates) == 0:
                candidates = np.flatnonzero(np.arange(len(regions)) != mrc_idx[i])
            move_at = rng.integers(birth[i] + 1, last[i] + 1)
            mrc_t[i, move_at:] = rng.choice(candidates)

    # --- issue 14: total expenses, public service agreements, people served. Drawn after everything else so that
    # the figures above stay those of the same seed.
    margin = (rng.normal(0.02, 0.05, n)[:, None] + rng.normal(0, 0.02, shape)).clip(-0.25, 0.30)
    expenses = np.rint(np.maximum(revenue * (1 - margin), np.nan_to_num(payroll, nan=0.0)))
    contract_rate = np.where(np.isin(sectors, ("SAN", "INS", "EDU", "ENV")), 0.45, 0.12)
    has_contracts = rng.random(n) < contract_rate
    contract_share = rng.uniform(0.2, 0.9, n)[:, None]
    remainder = np.maximum(revenue - np.nan_to_num(revenue_earned, nan=0.0) - np.nan_to_num(revenue_grants, nan=0.0),
                           0.0)
    contracts = np.where(has_contracts[:, None], np.floor(remainder * contract_share), np.nan)
    served_per_job = np.where(np.isin(sectors, ("SAN", "LOI", "ART", "EDU", "INS")), 60.0, 15.0)
    served = np.rint(np.maximum(jobs, 1) * served_per_job[:, None] * rng.lognormal(0, 0.7, n)[:, None])
    served[(rng.random(n)[:, None] < 0.45) | (rng.random(shape) < 0.05)] = np.nan

    # --- assemble (enterprise order, then year)
    rows, cols = np.nonzero(active)
    frame = pd.DataFrame({
        "neq": neq[rows],
        "name": names[rows],
        "legal_form": forms[rows],
        "sector": sectors[rows],
        "mrc": mrc_codes[mrc_t[rows, cols]],
        "year": year_arr[cols].astype(int),
        "jobs_full_time": jobs_ft[rows, cols],
        "jobs_part_time": jobs_pt[rows, cols],
        "paid_hours": paid_hours[rows, cols],
        "payroll": payroll[rows, cols],
        "revenue_total": revenue[rows, cols],
        "revenue_earned": revenue_earned[rows, cols],
        "revenue_grants": revenue_grants[rows, cols],
        "volunteers": volunteers[rows, cols],
        "volunteer_hours": volunteer_hours[rows, cols],
        "members": members[rows, cols],
        "expenses_total": expenses[rows, cols],
        "revenue_public_contracts": contracts[rows, cols],
        "people_served": served[rows, cols],
    })
    for column in ("neq", "name", "legal_form", "sector", "mrc"):
        frame[column] = frame[column].astype(str)
    for column in COLUMNS[6:]:
        frame[column] = frame[column].astype(float)
    return frame[list(COLUMNS)]
