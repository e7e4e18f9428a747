"""The columns of an enterprise's annual figures: keys, template headers, kinds and accepted header aliases.

One list, used by the template writer, the importer, the storage and the labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    header_fr: str
    header_en: str
    kind: str  # neq | text | legal_form | sector | mrc | year | int | amount | hours
    required: bool
    aliases: tuple[str, ...] = ()
    help_fr: str = ""
    help_en: str = ""


FIELDS: tuple[Field, ...] = (
    Field("neq", "NEQ", "NEQ", "neq", True,
          ("numero d entreprise du quebec", "no neq", "numero neq", "quebec enterprise number", "enterprise number"),
          "Numéro d'entreprise du Québec, 10 chiffres", "Québec enterprise number, 10 digits"),
    Field("name", "Nom de l'entreprise", "Enterprise name", "text", True,
          ("nom", "entreprise", "raison sociale", "nom de l organisme", "organisme", "name", "company name",
           "organization name", "organisation name", "enterprise"),
          "Nom légal ou usuel", "Legal or usual name"),
    Field("legal_form", "Forme juridique", "Legal form", "legal_form", True,
          ("forme", "statut juridique", "type d entreprise", "legal status", "form"),
          "Coopérative, OBNL ou Mutuelle", "Co-operative, Non-profit or Mutual"),
    Field("sector", "Secteur", "Sector", "sector", True,
          ("secteur d activite", "domaine", "secteur d activites", "activity sector", "industry"),
          "Code ou libellé de la liste des secteurs", "Code or label from the sector list"),
    Field("mrc", "MRC", "MRC", "mrc", True,
          ("mrc te", "mrc ou te", "territoire", "code mrc", "nom de la mrc", "regional county municipality",
           "rcm", "territory"),
          "Code ou nom de la MRC / du territoire équivalent", "Code or name of the MRC / equivalent territory"),
    Field("year", "Année", "Year", "year", True,
          ("annee financiere", "exercice", "annee de reference", "fiscal year", "reference year"),
          "Année de l'exercice financier (ex. 2024)", "Fiscal year (e.g. 2024)"),
    Field("jobs_full_time", "Emplois à temps plein", "Full-time jobs", "int", True,
          ("emplois temps plein", "nombre d emplois a temps plein", "employes a temps plein", "emplois tp",
           "full time jobs", "jobs full time", "full time employees"),
          "Nombre de personnes salariées à temps plein", "Number of full-time employees"),
    Field("jobs_part_time", "Emplois à temps partiel", "Part-time jobs", "int", True,
          ("emplois temps partiel", "nombre d emplois a temps partiel", "employes a temps partiel", "emplois tpa",
           "part time jobs", "jobs part time", "part time employees"),
          "Nombre de personnes salariées à temps partiel", "Number of part-time employees"),
    Field("paid_hours", "Heures rémunérées", "Paid hours", "hours", False,
          ("heures remunerees annuelles", "heures payees", "heures travaillees", "paid hours", "hours paid",
           "hours worked"),
          "Total des heures payées dans l'année (facultatif)", "Total hours paid in the year (optional)"),
    Field("payroll", "Masse salariale ($)", "Payroll ($)", "amount", False,
          ("masse salariale", "salaires", "payroll", "wages", "total wages"),
          "Salaires bruts versés, en dollars (facultatif)", "Gross wages paid, in dollars (optional)"),
    Field("revenue_total", "Revenus totaux ($)", "Total revenue ($)", "amount", True,
          ("revenus totaux", "revenu total", "chiffre d affaires", "revenus", "total revenue", "revenue",
           "total revenues"),
          "Tous les revenus de l'exercice, en dollars", "All revenue of the fiscal year, in dollars"),
    Field("revenue_earned", "Revenus autonomes ($)", "Earned revenue ($)", "amount", False,
          ("revenus autonomes", "revenus de ventes", "ventes", "revenus marchands", "earned revenue",
           "earned revenues", "sales", "self generated revenue"),
          "Ventes de biens et services, cotisations (≤ revenus totaux)",
          "Sales of goods and services, dues (≤ total revenue)"),
    Field("revenue_grants", "Subventions publiques ($)", "Public grants ($)", "amount", False,
          ("subventions publiques", "subventions", "aide publique", "public grants", "grants",
           "government grants", "public funding"),
          "Subventions des gouvernements et organismes publics", "Grants from governments and public bodies"),
    Field("volunteers", "Nombre de bénévoles", "Number of volunteers", "int", False,
          ("benevoles", "nb de benevoles", "nombre benevoles", "volunteers", "number of volunteers"),
          "Personnes bénévoles actives dans l'année", "Volunteers active in the year"),
    Field("volunteer_hours", "Heures de bénévolat", "Volunteer hours", "hours", True,
          ("heures benevoles", "heures de benevolat annuelles", "volunteer hours", "hours of volunteering",
           "volunteering hours"),
          "Total des heures de bénévolat (0 si aucune)", "Total volunteer hours (0 if none)"),
    Field("members", "Membres", "Members", "int", False,
          ("nombre de membres", "membres", "members", "number of members", "membership"),
          "Nombre de membres (facultatif)", "Number of members (optional)"),
    # Issue 14: optional columns; a file without them still imports.
    Field("expenses_total", "Charges totales ($)", "Total expenses ($)", "amount", False,
          ("charges totales", "charges", "depenses totales", "depenses", "total expenses", "expenses",
           "total expenditures"),
          "Toutes les charges de l'exercice, masse salariale comprise (facultatif)",
          "All expenses of the fiscal year, payroll included (optional)"),
    Field("revenue_public_contracts", "Revenus de contrats et ententes de service publics ($)",
          "Public service contract and agreement revenue ($)", "amount", False,
          ("revenus de contrats et ententes de service publics", "contrats publics", "ententes de service",
           "ententes de service publics", "revenus d ententes de service", "public service agreements",
           "public service contracts", "public contracts", "service agreement revenue"),
          "Un gouvernement qui achète un service est un client : pas une subvention (facultatif)",
          "A government buying a service is a client, not a funder (optional)"),
    Field("people_served", "Personnes desservies ou participantes", "People served or participating", "int", False,
          ("personnes desservies", "personnes participantes", "participants", "usagers", "personnes rejointes",
           "people served", "people reached", "participants served", "beneficiaries"),
          "Personnes servies ou participantes dans l'année (facultatif)",
          "People served or taking part in the year (optional)"),
)

FIELD_BY_KEY = {f.key: f for f in FIELDS}

# Numeric columns stored per enterprise-year, in storage order.
NUMERIC_KEYS = tuple(f.key for f in FIELDS if f.kind in ("int", "amount", "hours"))


def header(field: Field, lang: str) -> str:
    return field.header_en if lang == "en" else field.header_fr
