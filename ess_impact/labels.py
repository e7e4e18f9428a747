"""The catalogue of user-facing text, French first (Québec usage) with English.

`t(key, lang, **params)` returns the text; `INDICATORS` describes every indicator (label, unit, definition).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("fr", "en")

TEXT: dict[str, tuple[str, str]] = {
    # --- import: file level
    "file_empty": ("Le fichier est vide.", "The file is empty."),
    "file_format": ("Format de fichier non reconnu : seuls les fichiers .xlsx, .xlsm, .xls, .ods et .csv sont acceptés.",
                    "Unrecognised file format: only .xlsx, .xlsm, .xls, .ods and .csv files are accepted."),
    "file_unreadable": ("Fichier illisible ou endommagé ({detail}). Ouvrez-le et enregistrez-le de nouveau en .xlsx.",
                        "Unreadable or damaged file ({detail}). Open it and save it again as .xlsx."),
    "csv_malformed": ("Fichier CSV illisible à la ligne {line} : un champ dépasse {limit} caractères ou contient "
                      "un caractère nul. Vérifiez les guillemets du fichier ou enregistrez-le de nouveau en .xlsx.",
                      "Unreadable CSV file at line {line}: a field is longer than {limit} characters or holds a NUL "
                      "character. Check the file's quotes or save it again as .xlsx."),
    "file_missing": ("Fichier introuvable.", "File not found."),
    "file_sandbox": ("Fichier illisible ou trop volumineux : sa lecture a dépassé les limites de sécurité (mémoire ou "
                     "temps) ou a échoué. Ouvrez-le dans Excel ou LibreOffice, enregistrez-le de nouveau en .xlsx et "
                     "téléversez-le encore ; si le problème persiste, écrivez au pôle.",
                     "Unreadable or too large file: reading it went over the safety limits (memory or time) or "
                     "failed. Open it in Excel or LibreOffice, save it again as .xlsx and upload it again; if the "
                     "problem persists, write to your pôle."),
    "no_header": ("Aucune ligne d'en-têtes reconnue : la feuille doit contenir au moins les colonnes {expected}.",
                  "No header row recognised: the sheet must contain at least the columns {expected}."),
    "no_data": ("Aucune ligne de données sous les en-têtes.", "No data rows below the headers."),
    "missing_column": ("Colonne obligatoire absente : « {expected} ».", "Required column missing: “{expected}”."),
    "duplicate_column": ("Cette colonne et la colonne « {other} » désignent la même donnée ({expected}) : gardez-en une seule.",
                         "This column and column “{other}” hold the same item ({expected}): keep only one."),
    "ignored_column": ("Colonne non reconnue : elle est ignorée.", "Unrecognised column: it is ignored."),
    "total_row": ("Ligne de total ignorée.", "Total row ignored."),
    # --- import: cell level
    "required": ("Valeur manquante : cette colonne est obligatoire ; attendu : {expected}.",
                 "Missing value: this column is required; expected: {expected}."),
    "not_number": ("« {value} » n'est pas un nombre ; attendu : {expected}.", "“{value}” is not a number; expected: {expected}."),
    "not_integer": ("« {value} » n'est pas un nombre entier ; attendu : {expected}.",
                    "“{value}” is not a whole number; expected: {expected}."),
    "not_finite": ("« {value} » n'est pas un nombre fini (infini ou « NaN ») ; attendu : {expected}.",
                   "“{value}” is not a finite number (infinite or “NaN”); expected: {expected}."),
    "above_ceiling": ("« {value} » dépasse le plafond de {limit}, au-delà de toute entreprise réelle : vérifiez "
                      "l'unité et les zéros ; attendu : {expected}, au plus {limit}.",
                      "“{value}” is above the ceiling of {limit}, beyond any real enterprise: check the unit and the "
                      "zeros; expected: {expected}, at most {limit}."),
    "hours_above_ceiling": ("« {value} » heures rémunérées pour {jobs} emploi(s) : plus de {per} heures par emploi, "
                            "ce qui est impossible ; attendu : au plus {limit} heures.",
                            "“{value}” paid hours for {jobs} job(s): more than {per} hours per job, which is "
                            "impossible; expected: at most {limit} hours."),
    "volunteer_hours_above_ceiling": ("« {value} » heures de bénévolat : plus qu'une année entière (8 760 heures) "
                                      "par personne bénévole ; attendu : au plus {limit} heures.",
                                      "“{value}” volunteer hours: more than a whole year (8,760 hours) per "
                                      "volunteer; expected: at most {limit} hours."),
    "negative": ("« {value} » est négatif ; attendu : {expected}.", "“{value}” is negative; expected: {expected}."),
    "percent": ("« {value} » est un pourcentage ; attendu : {expected}.", "“{value}” is a percentage; expected: {expected}."),
    "scaled_amount": ("« {value} » : indiquez le montant complet en dollars (ex. 3 200 000 plutôt que 3,2 M$).",
                      "“{value}”: give the full amount in dollars (e.g. 3,200,000 rather than $3.2M)."),
    "date_not_number": ("« {value} » est une date ; attendu : {expected}.", "“{value}” is a date; expected: {expected}."),
    "formula_error": ("« {value} » : erreur de formule dans le tableur ; attendu : {expected}.",
                      "“{value}”: spreadsheet formula error; expected: {expected}."),
    "neq_format": ("« {value} » n'est pas un NEQ valide ; attendu : 10 chiffres (ex. 1141234567).",
                   "“{value}” is not a valid NEQ; expected: 10 digits (e.g. 1141234567)."),
    "neq_scientific": ("« {value} » : le tableur a converti le NEQ en notation scientifique ; formatez la colonne en texte et saisissez les 10 chiffres.",
                       "“{value}”: the spreadsheet turned the NEQ into scientific notation; format the column as text and type the 10 digits."),
    "year_format": ("« {value} » n'est pas une année ; attendu : l'année de l'exercice, de 2000 à {max_year} (ex. 2024).",
                    "“{value}” is not a year; expected: the fiscal year, 2000 to {max_year} (e.g. 2024)."),
    "year_is_date": ("« {value} » est une date ; attendu : l'année de l'exercice seulement (ex. 2024).",
                     "“{value}” is a date; expected: the fiscal year only (e.g. 2024)."),
    "year_range": ("« {value} » est hors limites ; attendu : une année de 2000 à {max_year}.",
                   "“{value}” is out of range; expected: a year from 2000 to {max_year}."),
    "unknown_mrc": ("MRC inconnue : « {value} ». {hint}", "Unknown MRC: “{value}”. {hint}"),
    "unknown_sector": ("Secteur inconnu : « {value} ». {hint}", "Unknown sector: “{value}”. {hint}"),
    "unknown_legal_form": ("Forme juridique inconnue : « {value} ». Attendu : Coopérative, OBNL ou Mutuelle.",
                           "Unknown legal form: “{value}”. Expected: Co-operative, Non-profit (OBNL) or Mutual."),
    "did_you_mean": ("Vouliez-vous dire « {suggestion} » ?", "Did you mean “{suggestion}”?"),
    "mrc_hint": ("Indiquez le code (ex. 54) ou le nom de la MRC (ex. Les Maskoutains).",
                 "Give the MRC code (e.g. 54) or name (e.g. Les Maskoutains)."),
    "sector_hint": ("Secteurs acceptés : {choices}.", "Accepted sectors: {choices}."),
    "duplicate_row": ("L'entreprise {neq} a déjà une ligne pour {year} ({other}) : une seule ligne par entreprise et par année.",
                      "Enterprise {neq} already has a row for {year} ({other}): one row per enterprise and year."),
    "row_ref": ("ligne {row} de {where}", "row {row} of {where}"),
    # --- import: warnings
    "earned_above_total": ("Revenus autonomes ({value}) supérieurs aux revenus totaux ({total}) : vérifiez.",
                           "Earned revenue ({value}) above total revenue ({total}): please check."),
    "parts_above_total": ("Revenus autonomes + subventions ({value}) supérieurs aux revenus totaux ({total}) : vérifiez.",
                          "Earned revenue + grants ({value}) above total revenue ({total}): please check."),
    "revenue_jump": ("Revenus totaux de {value}, soit {ratio} fois ceux de {prev_year} ({prev}) : vérifiez l'unité (dollars, pas milliers).",
                     "Total revenue of {value}, {ratio} times that of {prev_year} ({prev}): check the unit (dollars, not thousands)."),
    "revenue_per_job": ("Revenus de {value} par emploi (plus de 1 M$) : vérifiez les emplois et les revenus.",
                        "Revenue of {value} per job (over $1M): check jobs and revenue."),
    "hours_per_job": ("{value} heures rémunérées pour {jobs} emploi(s), plus de 3 000 h par emploi : vérifiez.",
                      "{value} paid hours for {jobs} job(s), over 3,000 h per job: please check."),
    "hours_per_volunteer": ("{value} heures de bénévolat pour {n} bénévole(s), plus de 2 000 h par bénévole : vérifiez.",
                            "{value} volunteer hours for {n} volunteer(s), over 2,000 h per volunteer: please check."),
    # --- expected values, by field kind
    "expect_int": ("un nombre entier positif ou nul (ex. 12)", "a whole number, zero or more (e.g. 12)"),
    "expect_amount": ("un montant en dollars, positif ou nul (ex. 1 234,50)", "an amount in dollars, zero or more (e.g. 1,234.50)"),
    "expect_hours": ("un nombre d'heures positif ou nul (ex. 1 820)", "a number of hours, zero or more (e.g. 1,820)"),
    # --- import: outcome
    "import_blocked": ("{file} : {errors} erreur(s), rien n'a été enregistré.", "{file}: {errors} error(s), nothing was saved."),
    "import_needs_confirmation": ("{warnings} avertissement(s) : relisez-les, puis confirmez avec --accept-warnings.",
                                  "{warnings} warning(s): read them, then confirm with --accept-warnings."),
    "import_valid": ("{file} : {rows} ligne(s) valide(s).", "{file}: {rows} valid row(s)."),
    "import_done": ("{file} : {inserted} ajoutée(s), {replaced} remplacée(s) (anciennes versions conservées), {unchanged} inchangée(s).",
                    "{file}: {inserted} added, {replaced} replaced (previous versions kept), {unchanged} unchanged."),
    "import_nothing_new": ("{file} : déjà importé, aucun changement.", "{file}: already imported, no change."),
    "import_refused_errors": ("Le fichier contient des erreurs : rien n'a été enregistré.",
                              "The file has errors: nothing was saved."),
    "import_refused_warnings": ("Des avertissements doivent être confirmés avant l'enregistrement.",
                                "Warnings must be confirmed before saving."),
    "unsupported_view": ("Les tableaux publiés ne croisent pas « {by} » avec « {category} ».",
                         "The published tables do not cross “{by}” with “{category}”."),
    "database_busy": ("La base de données est occupée par un autre traitement ; réessayez dans un moment.",
                      "The database is busy with another task; try again in a moment."),
    "demo_loaded": ("Données fictives de démonstration chargées : {rows} lignes, {enterprises} entreprises.",
                    "Fictitious demonstration data loaded: {rows} rows, {enterprises} enterprises."),
    "demo_in_force": ("L'instance présente encore les données fictives de démonstration : aucun envoi réel n'est "
                      "enregistré tant qu'un administrateur n'est pas passé aux données réelles (Import en lot).",
                      "This instance still shows the fictitious demonstration data: no real submission is saved "
                      "until an administrator switches to real data (Bulk import)."),
    "demo_in_force_cli": ("Passez d'abord aux données réelles : ess-impact real-data --yes (les données fictives sont "
                          "retirées pour de bon).",
                          "Switch to real data first: ess-impact real-data --yes (the fictitious data are removed for "
                          "good)."),
    "real_data_title": ("Passer aux données réelles", "Switch to real data"),
    "real_data_text": ("Les chiffres publiés sont fictifs ({figures} lignes, {enterprises} entreprises inventées). Passer "
                       "aux données réelles les retire définitivement : les pages publiques n'afficheront plus que les "
                       "chiffres déclarés par les entreprises (vides jusqu'au premier envoi), les envois des "
                       "entreprises et l'import en lot seront acceptés, et cette instance ne rechargera plus jamais "
                       "de données de démonstration.",
                       "The published figures are fictitious ({figures} rows, {enterprises} invented enterprises). "
                       "Switching to real data removes them for good: the public pages will show only the figures "
                       "enterprises report (empty until the first submission), enterprise uploads and bulk imports "
                       "will be accepted, and this instance will never load demonstration data again."),
    "real_data_confirm": ("Je comprends : retirer les données fictives pour de bon.",
                          "I understand: remove the fictitious data for good."),
    "real_data_button": ("Passer aux données réelles", "Switch to real data"),
    "real_data_done": ("Données réelles : {figures} lignes fictives retirées ({enterprises} entreprises).",
                       "Real data: {figures} fictitious rows removed ({enterprises} enterprises)."),
    "real_data_nothing": ("Cette instance est déjà aux données réelles.", "This instance already uses real data."),
    "demo_refused": ("La base contient déjà des données réelles : les données de démonstration n'y sont pas chargées.",
                     "The database already holds real data: the demonstration data are not loaded into it."),
    "template_written": ("Gabarit écrit : {path}", "Template written: {path}"),
    "preparing_public": ("Préparation des tableaux publics (règles de confidentialité)…",
                         "Preparing the public tables (confidentiality rules)…"),
    "no_data_year": ("Aucune donnée pour l'année demandée.", "No data for the requested year."),
    # --- accounts
    "account_bad_email": ("« {value} » n'est pas une adresse courriel valide (ex. direction@pole-es.qc.ca).",
                          "“{value}” is not a valid e-mail address (e.g. direction@pole-es.qc.ca)."),
    "account_bad_role": ("Rôle inconnu : « {value} » ; attendu : admin ou entreprise.",
                         "Unknown role: “{value}”; expected: admin or entreprise."),
    "account_needs_neq": ("Un compte entreprise doit être associé à au moins un NEQ (--neq).",
                          "An enterprise account must be linked to at least one NEQ (--neq)."),
    "account_admin_neq": ("Un compte admin voit toutes les entreprises : ne lui associez pas de NEQ.",
                          "An admin account sees every enterprise: do not link it to a NEQ."),
    "account_short_password": ("Le mot de passe doit compter au moins {min} caractères.",
                               "The password must be at least {min} characters long."),
    "account_exists": ("Un compte existe déjà pour {email}.", "An account already exists for {email}."),
    "account_unknown": ("Aucun compte pour {email}.", "No account for {email}."),
    "account_disable_self": ("Vous ne pouvez pas désactiver votre propre compte.", "You cannot disable your own account."),
    "internal_error": ("Une erreur inattendue est survenue. Réessayez ; si elle persiste, écrivez au pôle en donnant "
                       "la référence {reference}.",
                       "An unexpected error occurred. Try again; if it persists, write to your pôle quoting reference "
                       "{reference}."),
    "login_failed": ("Courriel ou mot de passe incorrect.", "Incorrect e-mail or password."),
    "login_throttled": ("Trop de tentatives de connexion depuis ce poste : réessayez dans {minutes} minute(s).",
                        "Too many login attempts from this device: try again in {minutes} minute(s)."),
    "login_locked": ("Trop de tentatives de connexion infructueuses : réessayez dans {minutes} minute(s).",
                     "Too many failed login attempts: try again in {minutes} minute(s)."),
    "forbidden_anonymous": ("Connectez-vous pour accéder à ces données.", "Log in to reach these data."),
    "forbidden_admin": ("Réservé aux administrateurs du pôle.", "Reserved for the hub's administrators."),
    "forbidden_account": ("Vous ne pouvez modifier que votre propre compte.", "You can only change your own account."),
    "forbidden_neqs": ("Ce compte n'a pas accès aux données des entreprises suivantes : {neqs}. Rien n'a été enregistré.",
                       "This account has no access to the data of these enterprises: {neqs}. Nothing was saved."),
    "foreign_neq": ("Le NEQ « {value} » n'est pas associé à votre compte (NEQ permis : {own}).",
                    "NEQ “{value}” is not linked to your account (allowed NEQ: {own})."),
    "foreign_neqs_file": ("Ce fichier contient des données d'autres entreprises ({neqs}) : il est refusé en entier. "
                          "Retirez ces lignes et téléversez-le de nouveau.",
                          "This file holds data of other enterprises ({neqs}): it is refused whole. "
                          "Remove those rows and upload it again."),
    "password_prompt": ("Mot de passe (au moins {min} caractères) : ", "Password (at least {min} characters): "),
    "password_confirm": ("Confirmez le mot de passe : ", "Confirm the password: "),
    "password_mismatch": ("Les deux mots de passe ne concordent pas ; rien n'a été enregistré.",
                          "The two passwords do not match; nothing was saved."),
    "account_added": ("Compte créé : {email} ({role}).", "Account created: {email} ({role})."),
    "password_changed": ("Mot de passe changé pour {email} ; ses sessions ouvertes sont fermées.",
                         "Password changed for {email}; its open sessions are closed."),
    "account_disabled": ("Compte désactivé : {email} ; ses sessions ouvertes sont fermées.",
                         "Account disabled: {email}; its open sessions are closed."),
    "no_accounts": ("Aucun compte. Créez le premier administrateur avec « ess-impact user add COURRIEL --role admin ».",
                    "No accounts. Create the first administrator with “ess-impact user add EMAIL --role admin”."),
    # --- accounts pages
    "nav_login": ("Connexion", "Log in"),
    "nav_upload": ("Téléverser mes données", "Upload my data"),
    "nav_my_data": ("Mes données", "My data"),
    "nav_admin_import": ("Import en lot", "Bulk import"),
    "nav_admin_log": ("Journal des envois", "Submission log"),
    "nav_admin_accounts": ("Comptes", "Accounts"),
    "nav_section_public": ("Tableau de bord", "Dashboard"),
    "nav_section_enterprise": ("Mon entreprise", "My enterprise"),
    "nav_section_admin": ("Administration", "Administration"),
    "login_title": ("Connexion", "Log in"),
    "login_intro": ("Réservé aux entreprises membres et au personnel du pôle. Les comptes sont créés par un "
                    "administrateur du pôle ; un mot de passe oublié est réinitialisé par lui.",
                    "For member enterprises and the hub's staff. Accounts are created by a hub administrator, who also "
                    "resets forgotten passwords."),
    "login_email": ("Courriel", "E-mail"),
    "login_password": ("Mot de passe", "Password"),
    "login_submit": ("Se connecter", "Log in"),
    "login_oidc": ("Se connecter avec le fournisseur d'identité de l'organisation",
                   "Log in with the organisation's identity provider"),
    "login_oidc_refused": ("Le courriel {email} n'est associé à aucun compte actif. Demandez à un administrateur du "
                           "pôle de vous en créer un.",
                           "The e-mail {email} is not linked to any active account. Ask a hub administrator to "
                           "create one for you."),
    "login_oidc_unavailable": ("Connexion par le fournisseur d'identité indisponible ({detail}).",
                               "Login through the identity provider unavailable ({detail})."),
    "logged_in_as": ("Connecté : {email}", "Logged in: {email}"),
    "logout": ("Se déconnecter", "Log out"),
    "role_admin": ("administrateur", "administrator"),
    "role_entreprise": ("entreprise", "enterprise"),
    "upload_title": ("Téléverser mes données", "Upload my data"),
    "upload_template_heading": ("1. Gabarit", "1. Template"),
    "upload_template_text": ("Téléchargez le gabarit, remplissez une ligne par entreprise et par année, puis "
                             "téléversez-le ci-dessous.",
                             "Download the template, fill in one row per enterprise and year, then upload it below."),
    "bulk_template_text": ("Le gabarit vierge, pour une enquête régionale : une ligne par entreprise et par année, "
                           "autant d'entreprises que vous voulez. Un fichier d'une autre forme convient aussi, s'il "
                           "contient les colonnes obligatoires.",
                           "The blank template, for a regional survey: one row per enterprise and year, as many "
                           "enterprises as you like. A file of another shape also works if it has the required "
                           "columns."),
    "upload_template_button": ("Télécharger le gabarit (.xlsx)", "Download the template (.xlsx)"),
    "upload_file_heading": ("2. Fichier", "2. File"),
    "upload_file_label": ("Fichier rempli (.xlsx, .xlsm, .xls, .ods ou .csv)",
                          "Filled-in file (.xlsx, .xlsm, .xls, .ods or .csv)"),
    "upload_checking": ("Vérification du fichier…", "Checking the file…"),
    "upload_problems": ("{errors} erreur(s) et {warnings} avertissement(s) dans « {file} ».",
                        "{errors} error(s) and {warnings} warning(s) in “{file}”."),
    "upload_errors_block": ("Corrigez les erreurs dans votre fichier, puis téléversez-le de nouveau. Rien n'a été "
                            "enregistré.",
                            "Fix the errors in your file, then upload it again. Nothing has been recorded."),
    "upload_marked_copy": ("Télécharger une copie annotée (cellules en cause surlignées)",
                           "Download an annotated copy (faulty cells highlighted)"),
    "upload_preview_heading": ("3. Aperçu avant enregistrement", "3. Preview before recording"),
    "upload_preview_text": ("{rows} ligne(s) valide(s) : {new} nouvelle(s), {changed} modifiée(s), {same} identique(s) à "
                            "ce qui est enregistré. Rien n'est enregistré avant votre confirmation.",
                            "{rows} valid row(s): {new} new, {changed} changed, {same} the same as what is stored. "
                            "Nothing is recorded before you confirm."),
    "upload_accept_warnings": ("J'ai vérifié les avertissements ci-dessus : les valeurs sont exactes.",
                               "I have checked the warnings above: the values are correct."),
    "upload_confirm": ("Confirmer et enregistrer", "Confirm and record"),
    "upload_receipt": ("Reçu : {rows} ligne(s) enregistrée(s) le {when} (envoi n° {import_id}, fichier « {file} », "
                       "SHA-256 {sha}) : {inserted} nouvelle(s), {replaced} remplacée(s), {unchanged} inchangée(s).",
                       "Receipt: {rows} row(s) recorded on {when} (submission no. {import_id}, file “{file}”, "
                       "SHA-256 {sha}): {inserted} new, {replaced} replaced, {unchanged} unchanged."),
    "upload_nothing_new": ("Ce fichier ne change rien à ce qui est déjà enregistré.",
                           "This file changes nothing in what is already stored."),
    "col_severity": ("Gravité", "Severity"),
    "col_sheet": ("Feuille", "Sheet"),
    "col_row": ("Ligne", "Row"),
    "col_column": ("Colonne", "Column"),
    "col_value": ("Valeur", "Value"),
    "col_message": ("Problème et valeur attendue", "Problem and expected value"),
    "col_status": ("État", "Status"),
    "severity_error": ("Erreur", "Error"),
    "severity_warning": ("Avertissement", "Warning"),
    "severity_info": ("Information", "Information"),
    "status_new": ("nouvelle", "new"),
    "status_changed": ("modifiée", "changed"),
    "status_same": ("identique", "same"),
    "before_value": ("{field} (avant)", "{field} (before)"),
    "undo_unknown": ("L'envoi n° {import_id} n'existe pas.", "Submission no. {import_id} does not exist."),
    "undo_not_undoable": ("L'envoi n° {import_id} ne peut pas être annulé (données de démonstration ou annulation).",
                          "Submission no. {import_id} cannot be undone (demo data or an undo)."),
    "undo_already": ("L'envoi n° {import_id} a déjà été annulé.", "Submission no. {import_id} has already been undone."),
    "undo_replaced_later": ("Des lignes de l'envoi n° {import_id} ont été remplacées depuis par un envoi plus récent : "
                            "annulez d'abord celui-ci.",
                            "Rows of submission no. {import_id} have since been replaced by a later submission: "
                            "undo that one first."),
    "upload_too_large": ("Fichier trop volumineux ({size_mb} Mo) : la limite est de {max_mb} Mo. Retirez les feuilles "
                         "inutiles ou envoyez-le en plusieurs parties.",
                         "File too large ({size_mb} MB): the limit is {max_mb} MB. Remove unneeded sheets or send it "
                         "in several parts."),
    "upload_zip_bomb": ("Fichier refusé : une fois décompressé, il occuperait environ {size_mb} Mo ou se décompresse "
                        "de façon anormale. Enregistrez-le de nouveau depuis votre tableur.",
                        "File refused: once uncompressed it would take about {size_mb} MB or it inflates abnormally. "
                        "Save it again from your spreadsheet program."),
    "formula_no_value": ("Cette cellule contient une formule sans valeur calculée ; l'application n'évalue pas les "
                         "formules. Ouvrez le fichier dans votre tableur, enregistrez-le, puis téléversez-le de nouveau.",
                         "This cell holds a formula without a computed value; the app does not evaluate formulas. "
                         "Open the file in your spreadsheet program, save it, then upload it again."),
    "my_data_title": ("Mes données", "My data"),
    "my_data_none": ("Aucune donnée enregistrée pour cette entreprise.", "No figures recorded for this enterprise."),
    "my_data_recorded": ("Enregistré le", "Recorded on"),
    "my_data_file": ("Fichier", "File"),
    "my_data_submissions": ("Mes envois", "My submissions"),
    "my_data_no_submission": ("Aucun envoi fait avec ce compte.", "No submission made with this account."),
    "log_id": ("N°", "No."),
    "log_when": ("Date", "When"),
    "log_who": ("Par", "By"),
    "log_channel": ("Canal", "Channel"),
    "log_file": ("Fichier", "File"),
    "log_sha": ("SHA-256", "SHA-256"),
    "log_rows": ("Lignes", "Rows"),
    "log_inserted": ("Nouvelles", "New"),
    "log_replaced": ("Remplacées", "Replaced"),
    "log_status": ("État", "Status"),
    "log_undoes": ("annule l'envoi n° {id}", "undoes submission no. {id}"),
    "log_undone_by": ("annulé par l'envoi n° {id}", "undone by submission no. {id}"),
    "log_undo_heading": ("Annuler un envoi", "Undo a submission"),
    "log_undo_text": ("Les lignes que l'envoi a ajoutées sont retirées et celles qu'il a remplacées reprennent leur "
                      "version précédente ; rien n'est effacé de l'historique, et l'annulation est journalisée.",
                      "The rows the submission added are removed and those it replaced get their previous version "
                      "back; nothing is erased from the history, and the undo is logged."),
    "log_undo_choice": ("Envoi à annuler", "Submission to undo"),
    "log_undo_confirm": ("Je confirme l'annulation de cet envoi.", "I confirm undoing this submission."),
    "log_undo_button": ("Annuler l'envoi", "Undo the submission"),
    "log_undo_pick": ("Choisissez un envoi", "Choose a submission"),
    "log_undo_option": ("n° {id} — {when} — {file} ({who})", "no. {id} — {when} — {file} ({who})"),
    "accounts_pick": ("Choisissez un compte", "Choose an account"),
    "log_undo_done": ("Envoi n° {undone} annulé (annulation n° {id}) : {deleted} ligne(s) retirée(s), {restored} "
                      "ligne(s) remise(s) à leur version précédente.",
                      "Submission no. {undone} undone (undo no. {id}): {deleted} row(s) removed, {restored} row(s) "
                      "back to their previous version."),
    "accounts_title": ("Comptes", "Accounts"),
    "accounts_add": ("Ajouter un compte", "Add an account"),
    "accounts_role": ("Rôle", "Role"),
    "accounts_neqs": ("NEQ (entreprise ; plusieurs séparés par des virgules)",
                      "NEQ (enterprise; several separated by commas)"),
    "accounts_password": ("Mot de passe initial (12 caractères ou plus)", "Initial password (12 characters or more)"),
    "accounts_added": ("Compte {email} créé.", "Account {email} created."),
    "accounts_reset": ("Réinitialiser un mot de passe", "Reset a password"),
    "accounts_reset_done": ("Mot de passe de {email} réinitialisé ; ses sessions ouvertes sont fermées.",
                            "Password of {email} reset; its open sessions are closed."),
    "accounts_disable": ("Désactiver un compte", "Disable an account"),
    "accounts_disable_done": ("Compte {email} désactivé.", "Account {email} disabled."),
    "accounts_set_neqs": ("Entreprises liées", "Linked enterprises"),
    "accounts_set_neqs_help": ("Remplace la liste des NEQ d'un compte entreprise (par exemple après une fusion dans le "
                               "registre). Le compte devra se reconnecter.",
                               "Replaces the list of NEQs of an enterprise account (for example after a merge in the "
                               "registry). The account will have to log in again."),
    "accounts_set_neqs_done": ("Compte {email} : NEQ liés {neqs}.", "Account {email}: linked NEQs {neqs}."),
    "accounts_which": ("Compte", "Account"),
    "accounts_new_password": ("Nouveau mot de passe", "New password"),
    "accounts_save": ("Enregistrer", "Save"),
    "accounts_active": ("Actif", "Active"),
    "accounts_created": ("Créé le", "Created"),
    "accounts_last_login": ("Dernière connexion", "Last login"),
    "accounts_locked_until": ("Bloqué jusqu'à", "Locked until"),
    # --- upload template
    "tpl_data": ("Données", "Data"),
    "tpl_instructions": ("Instructions", "Instructions"),
    "tpl_lists": ("Listes", "Lists"),
    "tpl_title": ("Gabarit de déclaration annuelle — économie sociale", "Annual report template — social economy"),
    "tpl_intro": ("Une ligne par entreprise et par année, dans la feuille « Données ». Les colonnes marquées "
              "« obligatoire » doivent être remplies ; inscrivez 0 plutôt que de laisser vide quand la réponse est zéro. "
              "Les montants sont en dollars (ex. 1 234 567,50), sans « k$ » ni « M$ ». Ne modifiez pas les en-têtes.",
              "One row per enterprise and year, in the “Data” sheet. Columns marked “required” must be filled in; "
              "write 0 rather than leaving a cell empty when the answer is zero. Amounts are in dollars "
              "(e.g. 1,234,567.50), without “k$” or “M$”. Do not change the headers."),
    "tpl_column": ("Colonne", "Column"),
    "tpl_required": ("Obligatoire", "Required"),
    "tpl_description": ("Description", "Description"),
    "tpl_yes": ("oui", "yes"),
    "tpl_no": ("non", "no"),
    "tpl_mrc_list": ("MRC / territoire", "MRC / territory"),
    "tpl_sector_list": ("Secteur", "Sector"),
    "tpl_legal_form_list": ("Forme juridique", "Legal form"),
    "tpl_error_title": ("Valeur non valide", "Invalid value"),
    "tpl_error_list": ("Choisissez une valeur dans la liste.", "Choose a value from the list."),
    "tpl_error_number": ("Inscrivez un nombre positif ou nul.", "Enter a number, zero or more."),
    "tpl_error_int": ("Inscrivez un nombre entier positif ou nul.", "Enter a whole number, zero or more."),
    "tpl_error_year": ("Inscrivez l'année de l'exercice (ex. 2024).", "Enter the fiscal year (e.g. 2024)."),
    # --- app
    "app_title": ("Impact de l'économie sociale", "Social economy impact"),
    "nav_overview": ("Vue d'ensemble", "Overview"),
    "demo_banner": ("Données fictives de démonstration : ces chiffres ne décrivent aucune entreprise réelle.",
                    "Fictitious demonstration data: these figures describe no real enterprise."),
    "language": ("Langue", "Language"),
    "points": ("{value} pt", "{value} pts"),
    "computing": ("Calcul des indicateurs et des règles de confidentialité…",
                  "Computing the indicators and the confidentiality rules…"),
    "year": ("Année", "Year"),
    "by_region": ("Par région administrative", "By administrative region"),
    "empty_database": ("Aucune donnée pour l'instant. Importez un fichier avec « ess-impact import ».",
                       "No data yet. Import a file with “ess-impact import”."),
    "volunteer_rate_note": ("Valeur du bénévolat : {rate} l'heure en {year} — source : {source}.",
                            "Volunteer value: {rate} per hour in {year} — source: {source}."),
    "minimum_wage_source": ("salaire minimum général au Québec au 1er mai (CNESST)",
                            "Québec general minimum wage on 1 May (CNESST)"),
    "suppressed_note": ("x : donnée confidentielle (moins de {min_count} entreprises, ou une entreprise représente plus de {share} de la valeur).",
                        "x: confidential (fewer than {min_count} enterprises, or one enterprise accounts for more than {share} of the value)."),
    "source_line": ("Source : déclarations des entreprises, ess_impact.", "Source: enterprise reports, ess_impact."),
    "nav_methodology": ("Méthodologie", "Methodology"),
    "methodology_title": ("Méthodologie et sources", "Methodology and sources"),
    "indicators_heading": ("Indicateurs", "Indicators"),
    "indicator": ("Indicateur", "Indicator"),
    "unit": ("Unité", "Unit"),
    "definition": ("Définition", "Definition"),
    "unit_count": ("nombre", "count"),
    "unit_jobs": ("emplois (personnes)", "jobs (people)"),
    "unit_fte": ("équivalents temps plein", "full-time equivalents"),
    "unit_money": ("dollars", "dollars"),
    "unit_hours": ("heures", "hours"),
    "unit_ratio": ("pourcentage", "percentage"),
    "unit_per_1000": ("pour 1 000 habitants", "per 1,000 inhabitants"),
    "settings_heading": ("Paramètres en vigueur", "Settings in force"),
    "fte_basis_note": ("Base ETP : {hours} heures rémunérées par année (35 h × 52 semaines par défaut).",
                       "FTE basis: {hours} paid hours per year (35 h × 52 weeks by default)."),
    "rates_heading": ("Taux horaire du bénévolat (méthode du coût de remplacement)",
                      "Hourly rate of volunteering (replacement-cost method)"),
    "rate": ("Taux horaire", "Hourly rate"),
    "source": ("Source", "Source"),
    "confidentiality_heading": ("Confidentialité", "Confidentiality"),
    "confidentiality_text": (
        "Les tableaux publics ne montrent que des agrégats. Une cellule est remplacée par « x » quand elle compte "
        "moins de {min_count} entreprises, ou quand une seule entreprise représente plus de {share} de sa valeur. "
        "D'autres cellules sont ensuite masquées au besoin, pour qu'aucune valeur confidentielle ne puisse être "
        "retrouvée en soustrayant les autres cellules d'un total publié.",
        "Public tables show aggregates only. A cell is replaced by “x” when it has fewer than {min_count} "
        "enterprises, or when one enterprise accounts for more than {share} of its value. Other cells are then "
        "hidden as needed, so that no confidential value can be recovered by subtracting the other cells from a "
        "published total."),
    "dominance_top_1": ("la plus grande entreprise", "the largest enterprise"),
    "dominance_top_2": ("les deux plus grandes entreprises", "the two largest enterprises"),
    "confidentiality_rules": (
        "**Les règles en détail.** Une valeur est *sensible* quand : la cellule compte moins de {min_count} "
        "entreprises; ou la deuxième entreprise en importance pourrait estimer la valeur de la première à moins de "
        "{p} % près en retranchant sa propre contribution du total (règle du p %); ou la part de {top} "
        "dépasse {share} de la valeur (règle de dominance). Masquer la valeur ne suffit pas : "
        "un lecteur déterminé combine tout ce qui est publié (tous les tableaux, toutes les colonnes, les liens entre "
        "colonnes comme temps plein + temps partiel = emplois totaux, les revenus autonomes et les subventions qui ne "
        "dépassent pas les revenus totaux, les chiffres à échantillon constant, et le fait qu'aucune valeur n'est "
        "négative). On masque donc d'autres cellules jusqu'à ce que, pour chaque valeur sensible, le plus petit et le "
        "plus grand montant compatibles avec tout ce qui est publié s'écartent de la vraie valeur d'au moins une "
        "marge de protection (pour la règle du p % : ce qui manque pour que l'estimation soit à plus de {p} % près). "
        "C'est la méthode des « niveaux de protection » des instituts de statistique (τ-ARGUS, sdcTable). Les colonnes "
        "liées sont masquées ensemble. On choisit les cellules à masquer en plus parmi les plus petites et les plus "
        "fines. Un audit indépendant (commande « ess-impact audit ») refait l'attaque avec un programme linéaire pour "
        "chaque valeur masquée. Page Mes données : vos propres entreprises ne font jamais partie du groupe comparé, "
        "une médiane repose sur au moins cinq autres entreprises et elle est arrondie.",
        "**The rules in detail.** A value is *sensitive* when: the cell has fewer than {min_count} enterprises; or "
        "the second-largest enterprise could estimate the largest one's value within {p}% by subtracting its own "
        "contribution from the total (p% rule); or the share of {top} exceeds {share} of the value "
        "(dominance rule). Hiding the value is not enough: a determined reader combines everything published (every "
        "table, every column, the links between columns such as full-time + part-time = total jobs, earned revenue "
        "and grants not exceeding total revenue, the constant-sample figures, and the fact that no value is "
        "negative). Other cells are therefore hidden until, for every sensitive value, the smallest and largest "
        "amounts consistent with everything published are at least a protection margin away from the true value "
        "(for the p% rule: what is missing for the estimate to be more than {p}% off). This is the “protection "
        "level” method of statistical offices (τ-ARGUS, sdcTable). Linked columns are hidden together. The extra "
        "cells hidden are chosen among the smallest and most detailed. An independent audit (the “ess-impact audit” "
        "command) repeats the attack with a linear program for each hidden value. My data page: your own "
        "enterprises are never part of the group you are compared with, a median rests on at least five other "
        "enterprises, and it is rounded."),
    "completeness_heading": ("Entreprises déclarantes par année et par région", "Reporting enterprises by year and region"),
    "completeness_note": ("Le nombre d'entreprises qui déclarent change d'une année à l'autre : comparez les "
                          "variations à échantillon constant.",
                          "The number of reporting enterprises changes from year to year: compare changes at "
                          "constant sample."),
    "sources_heading": ("Sources des données", "Data sources"),
    "sources_text": (
        "Chiffres annuels : déclarations des entreprises d'économie sociale. Territoires et populations (1er juillet "
        "2024) : MRNF, Découpages administratifs (SDA), et MAMH, Répertoire des municipalités, Données Québec, "
        "licence CC BY 4.0. Secteurs : d'après les domaines de l'Institut de la statistique du Québec.",
        "Annual figures: reports of social economy enterprises. Territories and populations (1 July 2024): MRNF, "
        "Découpages administratifs (SDA), and MAMH, Répertoire des municipalités, Données Québec, CC BY 4.0 "
        "licence. Sectors: after the domains of the Institut de la statistique du Québec."),
    "code": ("Code", "Code"),
    "name": ("Nom", "Name"),
    "region": ("Région", "Region"),
    "population": ("Population", "Population"),
    # --- dashboard
    "mrc": ("MRC", "MRC"),
    "sector": ("Secteur", "Sector"),
    "legal_form": ("Forme juridique", "Legal form"),
    "territory": ("Territoire", "Territory"),
    "all_quebec": ("Tout le Québec", "All of Québec"),
    "all_mrcs": ("Toutes les MRC", "All MRCs"),
    "all_sectors": ("Tous les secteurs", "All sectors"),
    "all_legal_forms": ("Toutes les formes juridiques", "All legal forms"),
    "one_category_filter": ("Un seul filtre à la fois entre secteur et forme juridique dans les données publiques : "
                            "le filtre de forme juridique est ignoré.",
                            "Public data allow one filter at a time between sector and legal form: the legal form "
                            "filter is ignored."),
    "source_line_demo": ("Source : déclarations des entreprises, ess_impact — données fictives de démonstration.",
                         "Source: enterprise reports, ess_impact — fictitious demonstration data."),
    "download_csv": ("CSV", "CSV"),
    "download_xlsx": ("Excel", "Excel"),
    "notes": ("Notes", "Notes"),
    "index_axis": ("Indice ({year} = 100)", "Index ({year} = 100)"),
    "chart_indicator": ("Indicateur", "Indicator"),
    "no_data_here": ("Aucune donnée déclarée pour {place} en {year}.", "No reported data for {place} in {year}."),
    "single_year": ("Une seule année de données : pas encore de tendance.", "A single year of data: no trend yet."),
    "constant_sample": ("{value} à échantillon constant", "{value} at constant sample"),
    "change_note": ("Variations par rapport à {year}, brutes puis à échantillon constant (entreprises ayant déclaré "
                    "les deux années).",
                    "Change from {year}, raw then at constant sample (enterprises that reported both years)."),
    "nav_territories": ("Territoires", "Territories"),
    "nav_sectors": ("Secteurs", "Sectors"),
    "nav_compare": ("Comparer", "Compare"),
    "overview_title": ("L'économie sociale — {place}, {year}", "The social economy — {place}, {year}"),
    "overview_caption": ("Chiffres déclarés par {enterprises} entreprises d'économie sociale (coopératives, OBNL, "
                         "mutuelles).",
                         "Figures reported by {enterprises} social economy enterprises (co-operatives, non-profits, "
                         "mutuals)."),
    "trend_heading": ("Évolution", "Trend"),
    "trend_title": ("{indicator} — {place}, {first} à {last}", "{indicator} — {place}, {first} to {last}"),
    "mix_heading": ("Répartition", "Breakdown"),
    "by_sector_title": ("{indicator} par secteur — {place}, {year}", "{indicator} by sector — {place}, {year}"),
    "by_legal_form_title": ("{indicator} par forme juridique — {place}, {year}",
                            "{indicator} by legal form — {place}, {year}"),
    "map_heading": ("Carte des MRC", "Map of the MRCs"),
    "by_region_title": ("Indicateurs par région — {place}, {year}", "Indicators by region — {place}, {year}"),
    "by_mrc_title": ("Indicateurs par MRC — {place}, {year}", "Indicators by MRC — {place}, {year}"),
    "by_mrc_heading": ("Par MRC", "By MRC"),
    "territories_title": ("Territoires — {place}, {year}", "Territories — {place}, {year}"),
    "territories_pick": ("Choisissez une région, puis une MRC, dans le panneau de gauche pour voir son profil.",
                         "Choose a region, then an MRC, in the left panel to see its profile."),
    "per_1000_title": ("{indicator} — {place}, sa région et le Québec, {year}",
                       "{indicator} — {place}, its region and Québec, {year}"),
    "per_1000_mrcs_title": ("{indicator} par MRC — {place}, {year}", "{indicator} by MRC — {place}, {year}"),
    "per_1000_regions_title": ("{indicator} par région — {place}, {year}", "{indicator} by region — {place}, {year}"),
    "profile_heading": ("Profil de la MRC", "MRC profile"),
    "comparison_heading": ("Pour 1 000 habitants, comparé à la région et au Québec",
                           "Per 1,000 inhabitants, against the region and Québec"),
    "rank_value": ("{rank} sur {n}", "{rank} of {n}"),
    "rank_help": ("Rang de la MRC (1 = la plus élevée) parmi les MRC dont la valeur est publiée.",
                  "The MRC's rank (1 = highest) among the MRCs whose value is published."),
    "rank_caption": ("Rang parmi les MRC dont la valeur est publiée (1 = la plus élevée) : le nombre de MRC classées "
                     "change d'un indicateur à l'autre, car les valeurs confidentielles (x) ne sont pas classées.",
                     "Rank among the MRCs whose value is published (1 = highest): the number of ranked MRCs "
                     "differs between indicators, because confidential values (x) are not ranked."),
    "rank_title": ("Pour 1 000 habitants — {place}, sa région et le Québec, {year}",
                   "Per 1,000 inhabitants — {place}, its region and Québec, {year}"),
    "trend_compared_title": ("{indicator}, indice {year} = 100 — {place}, sa région et le Québec",
                             "{indicator}, index {year} = 100 — {place}, its region and Québec"),
    "sectors_title": ("Secteurs — {place}, {year}", "Sectors — {place}, {year}"),
    "heatmap_heading": ("Secteur × territoire", "Sector × territory"),
    "heatmap_title": ("{indicator} par secteur et par {level} — {place}, {year}",
                      "{indicator} by sector and {level} — {place}, {year}"),
    "level_region": ("région", "region"),
    "level_mrc": ("MRC", "MRC"),
    "sector_trends_heading": ("Tendances par secteur", "Sector trends"),
    "sector_trends_pick": ("Secteurs à afficher (8 au plus)", "Sectors to show (at most 8)"),
    "sector_profile_heading": ("Profil du secteur : {sector}", "Sector profile: {sector}"),
    "sector_pick": ("Choisissez un secteur dans le panneau de gauche pour voir son profil.",
                    "Choose a sector in the left panel to see its profile."),
    "sector_by_geo_title": ("{indicator} — {sector}, par {level} — {place}, {year}",
                            "{indicator} — {sector}, by {level} — {place}, {year}"),
    "compare_title": ("Comparer des territoires — {year}", "Compare territories — {year}"),
    "compare_pick": ("Territoires à comparer (2 à 6)", "Territories to compare (2 to 6)"),
    "compare_need_two": ("Choisissez au moins deux territoires (MRC ou régions) à comparer.",
                         "Choose at least two territories (MRCs or regions) to compare."),
    "compare_table_title": ("Indicateurs — territoires comparés, {year}", "Indicators — territories compared, {year}"),
    "compare_per_1000_title": ("{indicator} — territoires comparés, {year}",
                               "{indicator} — territories compared, {year}"),
    "compare_trend_title": ("{indicator}, indice {year} = 100 — territoires comparés",
                            "{indicator}, index {year} = 100 — territories compared"),
    "compare_mix_title": ("Part de chaque secteur dans {indicator_lower} — territoires comparés, {year}",
                          "Share of each sector in {indicator_lower} — territories compared, {year}"),
    "base_year": ("Année de base", "Base year"),
    # --- reports
    "nav_reports": ("Rapports", "Reports"),
    "report_heading": ("L'économie sociale — {place}, {year}", "The social economy — {place}, {year}"),
    "report_subtitle": ("Portrait socio-économique de l'économie sociale", "Socio-economic profile of the social economy"),
    "report_level_mrc": ("MRC · région : {region}", "MRC · region: {region}"),
    "report_level_te": ("Territoire équivalent à une MRC · région : {region}",
                        "Territory equivalent to an MRC · region: {region}"),
    "report_level_region": ("Région administrative du Québec", "Administrative region of Québec"),
    "report_facts": ("Population : {population} · Entreprises déclarantes en {year} : {enterprises}",
                     "Population: {population} · Reporting enterprises in {year}: {enterprises}"),
    "report_headline": ("Chiffres clés", "Key figures"),
    "report_headline_title": ("Chiffres clés — {place}, {year}", "Key figures — {place}, {year}"),
    "report_change": ("Variation", "Change"),
    "report_change_constant": ("Variation à échantillon constant", "Change at constant sample"),
    "report_change_note": ("Variation par rapport à {year} : brute, puis à échantillon constant (seulement les "
                           "entreprises ayant déclaré les deux années). Une variation brute peut venir d'un changement "
                           "dans les entreprises qui déclarent.",
                           "Change from {year}: raw, then at constant sample (only the enterprises that reported both "
                           "years). A raw change can come from a change in which enterprises report."),
    "report_no_previous": ("Aucune donnée pour l'année précédente : pas de variation.",
                           "No data for the previous year: no change."),
    "report_comparison": ("Pour 1 000 habitants, comparé à la région et au Québec",
                          "Per 1,000 inhabitants, against the region and Québec"),
    "report_comparison_region": ("Pour 1 000 habitants, comparé au Québec", "Per 1,000 inhabitants, against Québec"),
    "report_ranks": ("Rang parmi les MRC du Québec dont la valeur est publiée (1 = la plus élevée) : {ranks}.",
                     "Rank among the Québec MRCs whose value is published (1 = highest): {ranks}."),
    "report_rank_item": ("{indicator} : {rank} sur {n}", "{indicator}: {rank} of {n}"),
    "report_per_1000_region_title": ("{indicator} — {place} et le Québec, {year}",
                                     "{indicator} — {place} and Québec, {year}"),
    "report_mrcs_heading": ("Les MRC de la région : {region}", "The MRCs of the region: {region}"),
    "report_sectors_heading": ("Répartition par secteur", "Breakdown by sector"),
    "report_legal_forms_heading": ("Répartition par forme juridique", "Breakdown by legal form"),
    "report_by_sector_title": ("Par secteur — {place}, {year}", "By sector — {place}, {year}"),
    "report_by_legal_form_title": ("Par forme juridique — {place}, {year}", "By legal form — {place}, {year}"),
    "report_trend_title": ("Évolution — {place}, {first} à {last}", "Trend — {place}, {first} to {last}"),
    "report_jobs_share": ("Part des emplois", "Share of jobs"),
    "report_generated": ("Rapport produit le {date}", "Report produced on {date}"),
    "report_prepared_by": ("Préparé par {org}", "Prepared by {org}"),
    "report_page": ("Page {page} de {pages}", "Page {page} of {pages}"),
    "report_sheet_headline": ("Chiffres clés", "Key figures"),
    "report_sheet_comparison": ("Pour 1 000 habitants", "Per 1,000 inhabitants"),
    "report_sheet_sectors": ("Secteurs", "Sectors"),
    "report_sheet_legal_forms": ("Formes juridiques", "Legal forms"),
    "report_sheet_trend": ("Évolution", "Trend"),
    "report_sheet_mrcs": ("MRC de la région", "MRCs of the region"),
    "report_unknown_mrc": ("Code de MRC inconnu : « {code} ». Indiquez le code officiel (ex. 54 pour Les Maskoutains) "
                           "ou le nom de la MRC.",
                           "Unknown MRC code: “{code}”. Give the official code (e.g. 54 for Les Maskoutains) or the "
                           "MRC's name."),
    "report_unknown_region": ("Code de région inconnu : « {code} ». Attendu : un code de 01 à 17 (ex. 16 pour la "
                              "Montérégie) ou le nom de la région.",
                              "Unknown region code: “{code}”. Expected: a code from 01 to 17 (e.g. 16 for "
                              "Montérégie) or the region's name."),
    "report_no_year": ("Aucune donnée pour {year}. Années disponibles : {years}.",
                       "No data for {year}. Years available: {years}."),
    "report_need_territory": ("Indiquez le territoire : --mrc CODE, --region CODE, ou --all-mrc --region CODE.",
                              "Say which territory: --mrc CODE, --region CODE, or --all-mrc --region CODE."),
    "report_all_needs_region": ("--all-mrc demande --region CODE (la région dont on veut les rapports de MRC), sans --mrc.",
                                "--all-mrc needs --region CODE (the region whose MRC reports you want), without --mrc."),
    "report_logo_not_image": ("Le logo {path} n'est pas une image PNG ou JPEG.",
                              "The logo {path} is not a PNG or JPEG image."),
    "report_logo_missing": ("Logo introuvable : {path} (variable ESS_IMPACT_ORG_LOGO ou option --logo).",
                            "Logo not found: {path} (ESS_IMPACT_ORG_LOGO variable or --logo option)."),
    "report_browser_missing": ("Navigateur Chromium introuvable ({path}) : il dessine les graphiques. Installez-le "
                               "(apt-get install chromium) ou indiquez son chemin dans la variable BROWSER_PATH.",
                               "Chromium browser not found ({path}): it draws the charts. Install it (apt-get "
                               "install chromium) or give its path in the BROWSER_PATH variable."),
    "report_font_missing": ("Police DejaVu Sans introuvable dans {path} (paquet Debian fonts-dejavu-core).",
                            "DejaVu Sans font not found in {path} (Debian package fonts-dejavu-core)."),
    "report_written": ("Rapport écrit : {path}", "Report written: {path}"),
    "report_all_written": ("{count} rapport(s) écrit(s) dans {path}.", "{count} report(s) written to {path}."),
    "report_skipped": ("{place} : aucun rapport ({reason})", "{place}: no report ({reason})"),
    "report_progress": ("Rapports", "Reports"),
    "reports_title": ("Rapports — {place}, {year}", "Reports — {place}, {year}"),
    "reports_intro": ("Un rapport prêt à imprimer pour le conseil des maires ou le conseil d'administration : chiffres "
                      "clés et leur variation, comparaison pour 1 000 habitants, répartition par secteur et par forme "
                      "juridique, évolution, méthodologie. Les règles de confidentialité s'appliquent à tout.",
                      "A print-ready report for the council of mayors or the board: key figures and their change, "
                      "comparison per 1,000 inhabitants, breakdown by sector and legal form, trend, methodology. The "
                      "confidentiality rules apply to everything."),
    "reports_pick": ("Choisissez une région, puis une MRC au besoin, dans le panneau de gauche.",
                     "Choose a region, then an MRC if needed, in the left panel."),
    "report_pdf": ("Rapport PDF", "PDF report"),
    "report_xlsx": ("Classeur Excel", "Excel workbook"),
    "report_pptx": ("Présentation PowerPoint", "PowerPoint deck"),
    "report_png": ("Graphiques PNG (zip)", "PNG charts (zip)"),
    "report_files_note": ("Le fichier est produit au moment du clic (quelques secondes).",
                          "The file is built when you click (a few seconds)."),
    # --- enterprise registry (issue 4)
    "nav_admin_registry": ("Registre des entreprises", "Enterprise registry"),
    "registry_intro": ("Trouvez une entreprise, corrigez son identité, fusionnez deux fiches de la même entreprise ou "
                       "désactivez-la. Chaque correction et chaque fusion est journalisée comme un envoi et peut être "
                       "annulée dans le Journal des envois.",
                       "Find an enterprise, correct its identity, merge two records of the same enterprise or "
                       "deactivate it. Every correction and every merge is logged as a submission and can be undone "
                       "in the Submission log."),
    "registry_search": ("NEQ ou nom", "NEQ or name"),
    "registry_search_help": ("Quelques chiffres du NEQ ou des mots du nom, sans égard aux accents ni aux majuscules.",
                             "Some digits of the NEQ or words of the name; accents and case do not matter."),
    "registry_status": ("État", "Status"),
    "registry_status_any": ("Toutes", "All"),
    "registry_active": ("active", "active"),
    "registry_inactive": ("désactivée", "deactivated"),
    "registry_found": ("{total} entreprise(s) trouvée(s).", "{total} enterprise(s) found."),
    "registry_found_limited": ("{total} entreprises trouvées ; les {shown} premières sont affichées : précisez la "
                               "recherche.",
                               "{total} enterprises found; the first {shown} are shown: narrow the search."),
    "registry_none_found": ("Aucune entreprise ne correspond à cette recherche.", "No enterprise matches this search."),
    "registry_results_title": ("Registre des entreprises", "Enterprise registry"),
    "registry_col_first": ("Première année", "First year"),
    "registry_col_last": ("Dernière année", "Last year"),
    "registry_col_accounts": ("Comptes liés", "Linked accounts"),
    "registry_choose": ("Entreprise à consulter", "Enterprise to open"),
    "registry_choose_placeholder": ("Choisissez une entreprise parmi les résultats",
                                    "Choose an enterprise among the results"),
    "registry_identity": ("**Forme juridique :** {legal_form} · **Secteur :** {sector} · **MRC :** {mrc}, {region} · "
                          "**Années déclarées :** {first}–{last} · **État :** {status}",
                          "**Legal form:** {legal_form} · **Sector:** {sector} · **MRC:** {mrc}, {region} · "
                          "**Years reported:** {first}–{last} · **Status:** {status}"),
    "registry_accounts": ("Comptes liés : {emails}", "Linked accounts: {emails}"),
    "registry_no_accounts": ("Aucun compte lié à ce NEQ.", "No account linked to this NEQ."),
    "registry_inactive_note": ("Désactivée le {when} par {who} : {note}", "Deactivated on {when} by {who}: {note}"),
    "registry_figures": ("Chiffres en vigueur par année", "Figures in force by year"),
    "registry_tab_edit": ("Corriger l'identité", "Correct the identity"),
    "registry_tab_merge": ("Fusionner deux fiches", "Merge two records"),
    "registry_tab_status": ("Désactiver ou réactiver", "Deactivate or reactivate"),
    "registry_edit_help": ("Seules les valeurs que vous changez sont corrigées, sur les années choisies ; les chiffres "
                           "(emplois, revenus, bénévolat) ne changent pas. Les versions remplacées sont gardées dans "
                           "l'historique.",
                           "Only the values you change are corrected, on the years chosen; the figures (jobs, revenue, "
                           "volunteering) do not change. The replaced versions are kept in the history."),
    "registry_from_year": ("Années corrigées", "Years corrected"),
    "registry_all_years": ("Toutes les années ({first}–{last})", "All years ({first}–{last})"),
    "registry_from_year_option": ("{year} et les suivantes", "{year} and later"),
    "registry_edit_button": ("Enregistrer la correction", "Save the correction"),
    "registry_edit_done": ("Correction enregistrée (envoi n° {id}) : {changed} année(s) modifiée(s).",
                           "Correction saved (submission no. {id}): {changed} year(s) changed."),
    "registry_undo_hint": ("Elle peut être annulée dans le Journal des envois.",
                           "It can be undone in the Submission log."),
    "registry_merge_help": ("Pour deux fiches de la même entreprise (ex. un NEQ mal saisi). Les années de la fiche "
                            "fusionnée qui manquent à la fiche gardée y sont déplacées telles quelles ; pour les années "
                            "que les deux ont, la fiche gardée reste et l'autre est archivée. Le NEQ fusionné disparaît "
                            "des chiffres en vigueur ; rien n'est effacé de l'historique.",
                            "For two records of the same enterprise (e.g. a mistyped NEQ). The years of the merged "
                            "record that the kept one lacks move to it as they are; for years both have, the kept "
                            "record stays and the other is archived. The merged NEQ leaves the figures in force; "
                            "nothing is erased from the history."),
    "registry_merge_search": ("Chercher l'autre fiche (NEQ ou nom)", "Find the other record (NEQ or name)"),
    "registry_merge_other": ("Autre fiche", "Other record"),
    "registry_merge_keep": ("Fiche à garder", "Record to keep"),
    "registry_merge_preview": ("Aperçu : fiche {drop} fusionnée dans la fiche {keep}",
                               "Preview: record {drop} merged into record {keep}"),
    "registry_merge_what": ("Ce qui arrive", "What happens"),
    "registry_merge_kept_revenue": ("Revenus totaux de {keep} ($)", "Total revenue of {keep} ($)"),
    "registry_merge_moves": ("déplacée vers {keep}", "moved to {keep}"),
    "registry_merge_archived": ("archivée : {keep} a déjà cette année", "archived: {keep} already has this year"),
    "registry_merge_accounts": ("Comptes liés au NEQ {drop}, qui ne sont pas modifiés par la fusion : {emails}. "
                                "Corrigez-les dans la page Comptes.",
                                "Accounts linked to NEQ {drop}, which the merge does not change: {emails}. Fix them on "
                                "the Accounts page."),
    "registry_merge_confirm": ("Je confirme que ces deux fiches sont la même entreprise.",
                               "I confirm that these two records are the same enterprise."),
    "registry_merge_button": ("Fusionner", "Merge"),
    "registry_merge_done": ("Fusion enregistrée (envoi n° {id}) : {moved} année(s) déplacée(s) de {drop} vers {keep}, "
                            "{archived} archivée(s).",
                            "Merge saved (submission no. {id}): {moved} year(s) moved from {drop} to {keep}, "
                            "{archived} archived."),
    "registry_demo_done": ("Données fictives de démonstration : cette modification sera retirée avec elles au premier "
                           "import réel ; elle ne peut pas être annulée.",
                           "Fictitious demo data: this change will be removed with them at the first real import; it "
                           "cannot be undone."),
    "registry_status_help": ("Une entreprise désactivée (fermée, fusionnée, hors champ) n'est plus attendue dans les "
                             "déclarations. Ses chiffres ne sont pas effacés : ils restent dans les totaux des années "
                             "déclarées.",
                             "A deactivated enterprise (closed, merged, out of scope) is no longer expected to report. "
                             "Its figures are not erased: they stay in the totals of the years it reported."),
    "registry_note": ("Raison", "Reason"),
    "registry_note_placeholder": ("ex. Fermée en 2024 ; fusionnée avec 1170000001 ; hors du champ de l'économie "
                                  "sociale",
                                  "e.g. Closed in 2024; merged with 1170000001; outside the social economy"),
    "registry_deactivate_button": ("Désactiver", "Deactivate"),
    "registry_reactivate_button": ("Réactiver", "Reactivate"),
    "registry_deactivated": ("Entreprise {neq} désactivée ; ses chiffres restent dans les totaux des années déclarées.",
                             "Enterprise {neq} deactivated; its figures stay in the totals of the years it reported."),
    "registry_reactivated": ("Entreprise {neq} réactivée.", "Enterprise {neq} reactivated."),
    "registry_status_log": ("Changements d'état", "Status changes"),
    "registry_when": ("Date", "When"),
    "registry_who": ("Par", "By"),
    "registry_unknown_neq": ("Aucune entreprise n'a le NEQ {neq} dans le registre.",
                             "No enterprise has NEQ {neq} in the registry."),
    "registry_same_neq": ("Choisissez deux fiches différentes : le NEQ {neq} ne peut pas être fusionné avec lui-même.",
                          "Choose two different records: NEQ {neq} cannot be merged with itself."),
    "registry_no_years": ("L'entreprise {neq} n'a déclaré aucune année à partir de {year} : rien n'a été modifié.",
                          "Enterprise {neq} reported no year from {year} on: nothing was changed."),
    "registry_nothing_to_change": ("Ces valeurs sont déjà celles de l'entreprise {neq} pour ces années : rien n'a été "
                                   "modifié.",
                                   "Enterprise {neq} already has these values for these years: nothing was changed."),
    "registry_no_change_given": ("Changez au moins une valeur (nom, forme juridique, secteur ou MRC) avant "
                                 "d'enregistrer.",
                                 "Change at least one value (name, legal form, sector or MRC) before saving."),
    "registry_unknown_field": ("« {name} » ne se corrige pas ici : seuls le nom, la forme juridique, le secteur et la "
                               "MRC le sont.",
                               "“{name}” cannot be corrected here: only the name, legal form, sector and MRC can."),
    "registry_name_required": ("Le nom de l'entreprise ne peut pas être vide.", "The enterprise name cannot be empty."),
    "registry_note_required": ("Indiquez la raison de la désactivation (ex. « Fermée en 2024 »).",
                               "Give the reason for deactivating (e.g. “Closed in 2024”)."),
    "registry_already_active": ("L'entreprise {neq} est déjà active.", "Enterprise {neq} is already active."),
    "registry_already_inactive": ("L'entreprise {neq} est déjà désactivée.", "Enterprise {neq} is already deactivated."),
    # Stored in the import log (in French, like the rest of the stored data): what a registry write changed.
    "registry_file_edit": ("Registre : modification {neq}{since}", "Registry: correction {neq}{since}"),
    "registry_file_since": (" (à partir de {year})", " (from {year})"),
    "registry_file_merge": ("Registre : fusion {drop} → {keep}", "Registry: merge {drop} → {keep}"),
    # --- completeness and settings (issue 4)
    "nav_admin_completeness": ("Complétude", "Completeness"),
    "nav_admin_settings": ("Paramètres", "Settings"),
    # completeness page
    "compl_title": ("Complétude des déclarations — {place}, {year}", "Reporting completeness — {place}, {year}"),
    "compl_year": ("Année des déclarations", "Reporting year"),
    "compl_within": ("Attendue si elle a déclaré dans les … années précédentes",
                     "Expected if it reported in the previous … years"),
    "compl_within_option": ("{n} an(s) : {first} à {last}", "{n} year(s): {first} to {last}"),
    "compl_intro": ("**Attendues** pour {year} : les entreprises qui ont déclaré pour {year}, plus les entreprises "
                    "actives qui ont déclaré au moins une fois de {first} à {last} mais pas encore pour {year}. Une "
                    "entreprise désactivée dans le registre (fermée, fusionnée, hors champ) n'est plus attendue, pas "
                    "plus qu'une entreprise qui n'a rien déclaré de {first} à {last}. **Taux de réponse** = ont "
                    "déclaré ÷ attendues.",
                    "**Expected** for {year}: the enterprises that reported for {year}, plus the active enterprises "
                    "that reported at least once from {first} to {last} but not yet for {year}. An enterprise "
                    "deactivated in the registry (closed, merged, out of scope) is no longer expected, nor is one "
                    "that reported nothing from {first} to {last}. **Reporting rate** = reported ÷ expected."),
    "compl_expected": ("Attendues", "Expected"),
    "compl_reported": ("Ont déclaré", "Reported"),
    "compl_missing": ("Pas encore déclaré", "Not reported yet"),
    "compl_rate": ("Taux de réponse", "Reporting rate"),
    "compl_nothing_expected": ("Aucune entreprise attendue pour {year} dans ce territoire.",
                               "No enterprise expected for {year} in this territory."),
    "compl_missing_heading": ("Entreprises à relancer", "Enterprises to remind"),
    "compl_missing_title": ("Entreprises à relancer — {place}, {year}", "Enterprises to remind — {place}, {year}"),
    "compl_all_reported": ("Toutes les entreprises attendues ont déclaré pour {year}.",
                           "Every expected enterprise has reported for {year}."),
    "compl_enterprise": ("Entreprise", "Enterprise"),
    "compl_last_year": ("Dernière année déclarée", "Last year reported"),
    "compl_emails": ("Courriels des comptes", "Account e-mails"),
    "compl_note_definition": ("Entreprises actives ayant déclaré au moins une fois de {first} à {last}, sans "
                              "déclaration pour {year} au {date}.",
                              "Active enterprises that reported at least once from {first} to {last}, with no report "
                              "for {year} as of {date}."),
    "compl_note_emails": ("Courriels : les comptes actifs liés au NEQ ; vide si l'entreprise n'a pas de compte actif.",
                          "E-mails: the active accounts linked to the NEQ; empty when the enterprise has none."),
    "compl_note_private": ("Liste nominative réservée aux administrateurs du pôle : ne pas diffuser.",
                           "Named list reserved to the hub's administrators: do not publish."),
    "compl_rates_heading": ("Taux de réponse par territoire", "Reporting rate by territory"),
    "compl_rates_title": ("Taux de réponse par {level} — {place}, {year}",
                          "Reporting rate by {level} — {place}, {year}"),
    "compl_note_rates": ("Attendues = ont déclaré pour {year} + entreprises actives ayant déclaré de {first} à {last} "
                         "sans avoir encore déclaré pour {year}. Taux de réponse = ont déclaré ÷ attendues.",
                         "Expected = reported for {year} + active enterprises that reported from {first} to {last} "
                         "and have not yet reported for {year}. Reporting rate = reported ÷ expected."),
    # settings: names, meanings, validation
    "setting_fte_basis_hours": ("Base ETP (heures par année)", "FTE basis (hours per year)"),
    "setting_fte_basis_hours_help": ("Heures rémunérées qui font un emploi équivalent temps plein ; sert aussi au "
                                     "bénévolat en ETP.",
                                     "Paid hours that make one full-time equivalent job; also used for volunteer "
                                     "FTE."),
    "setting_min_count": ("Nombre minimal d'entreprises par cellule", "Minimum number of enterprises per cell"),
    "setting_min_count_help": ("Une cellule publique qui compte moins d'entreprises est masquée (« x »). Jamais "
                               "moins de 3.",
                               "A public cell with fewer enterprises is suppressed (“x”). Never fewer than 3."),
    "setting_dominance_share": ("Part maximale d'une seule entreprise", "Largest share of a single enterprise"),
    "setting_dominance_share_help": ("Une cellule publique où une entreprise dépasse cette part de la valeur est "
                                     "masquée. Jamais plus de 85 %.",
                                     "A public cell where one enterprise holds more than this share of the value is "
                                     "suppressed. Never more than 85%."),
    "audit_result": ("Audit : {values} valeurs sensibles attaquées, {failed} insuffisamment protégées.",
                     "Audit: {values} sensitive values attacked, {failed} not protected enough."),
    "setting_dominance_n": ("Nombre d'entreprises dominantes (règle (n, k))", "Number of dominant enterprises ((n, k) rule)"),
    "setting_dominance_n_help": ("Une cellule est confidentielle quand ses n plus grandes entreprises dépassent la part "
                                 "maximale ci-dessus (n = 1 ou 2).",
                                 "A cell is confidential when its n largest enterprises exceed the largest share above "
                                 "(n = 1 or 2)."),
    "setting_p_percent": ("Règle du p % (en %)", "p% rule (in %)"),
    "setting_p_percent_help": ("Une cellule est confidentielle quand la deuxième entreprise en importance pourrait "
                               "estimer la valeur de la première à moins de p % près. Jamais moins de 10.",
                               "A cell is confidential when the second-largest enterprise could estimate the largest "
                               "one's value within p%. Never below 10."),
    "setting_median_min_count": ("Nombre minimal d'entreprises par médiane",
                                 "Minimum number of enterprises per median"),
    "setting_median_min_count_help": ("Page Mes données : une médiane du secteur qui repose sur moins d'entreprises "
                                      "n'est pas montrée à l'entreprise. Jamais moins de 5, ni moins que le nombre "
                                      "minimal par cellule.",
                                      "My data page: a sector median resting on fewer enterprises is not shown to the "
                                      "enterprise. Never fewer than 5, nor fewer than the minimum per cell."),
    "setting_session_idle_minutes": ("Fin de session après inactivité (minutes)", "Session ends after idle (minutes)"),
    "setting_session_idle_minutes_help": ("Une connexion inutilisée pendant ce temps se ferme.",
                                          "A login not used for this long is closed."),
    "setting_login_max_failures": ("Échecs de connexion avant blocage", "Failed logins before lock"),
    "setting_login_max_failures_help": ("Après ce nombre de mots de passe erronés de suite, le compte est bloqué.",
                                        "After this many wrong passwords in a row, the account is locked."),
    "setting_login_lock_minutes": ("Durée du blocage (minutes)", "Lock duration (minutes)"),
    "setting_login_lock_minutes_help": ("Temps pendant lequel un compte bloqué ne peut pas se connecter.",
                                        "How long a locked account cannot log in."),
    "setting_login_client_max_attempts": ("Tentatives de connexion par poste", "Login attempts per client"),
    "setting_login_client_max_attempts_help": (
        "Au-delà de ce nombre de tentatives depuis une même adresse IP pendant la durée du blocage, toute connexion "
        "depuis cette adresse est refusée un moment, quel que soit le courriel.",
        "Beyond this many attempts from one IP address within the lock duration, every login from that address is "
        "refused for a while, whatever the e-mail."),
    "setting_max_upload_mb": ("Taille maximale d'un fichier téléversé (Mo)", "Largest uploaded file (MB)"),
    "setting_max_upload_mb_help": ("Un fichier plus gros est refusé sans être lu.",
                                   "A larger file is refused unread."),
    "setting_max_amount": ("Plafond d'un montant ($) à l'importation", "Ceiling of an amount ($) at import"),
    "setting_max_amount_help": ("Un revenu, une subvention ou une masse salariale plus élevé est une erreur.",
                                "A higher revenue, grant or payroll is an error."),
    "setting_max_jobs": ("Plafond d'emplois (temps plein ou partiel) à l'importation",
                         "Ceiling of jobs (full-time or part-time) at import"),
    "setting_max_jobs_help": ("Un nombre d'emplois plus élevé est une erreur.", "A higher number of jobs is an error."),
    "setting_max_hours_per_job": ("Plafond d'heures rémunérées par emploi", "Ceiling of paid hours per job"),
    "setting_max_hours_per_job_help": ("Plus d'heures rémunérées par emploi (au moins 1) est une erreur.",
                                       "More paid hours per job (at least 1) is an error."),
    "setting_max_volunteers": ("Plafond de bénévoles à l'importation", "Ceiling of volunteers at import"),
    "setting_max_volunteers_help": ("Un nombre de bénévoles plus élevé est une erreur.",
                                    "A higher number of volunteers is an error."),
    "setting_max_members": ("Plafond de membres à l'importation", "Ceiling of members at import"),
    "setting_max_members_help": ("Un nombre de membres plus élevé est une erreur.",
                                 "A higher number of members is an error."),
    "setting_unknown": ("Paramètre inconnu : « {value} ».", "Unknown setting: “{value}”."),
    "setting_not_number": ("{name} : « {value} » n'est pas un nombre.", "{name}: “{value}” is not a number."),
    "setting_not_integer": ("{name} : « {value} » n'est pas un nombre entier.",
                            "{name}: “{value}” is not a whole number."),
    "setting_out_of_range": ("{name} : {value} est hors des limites permises ; attendu : de {low} à {high}. Rien n'a "
                             "été modifié.",
                             "{name}: {value} is outside the allowed range; expected: {low} to {high}. Nothing was "
                             "changed."),
    "rate_bad_year": ("Année « {value} » non valide ; attendu : une année de {low} à {max}.",
                      "Year “{value}” is not valid; expected: a year from {low} to {max}."),
    "rate_bad_rate": ("Taux horaire « {value} » non valide ; attendu : un montant en dollars plus grand que 0 et d'au "
                      "plus {max}.",
                      "Hourly rate “{value}” is not valid; expected: a dollar amount above 0 and at most {max}."),
    "rate_needs_source": ("Indiquez la source du taux (ex. : salaire minimum au 1er mai, CNESST) : elle est affichée "
                          "avec la valeur du bénévolat.",
                          "Give the rate's source (e.g. minimum wage on 1 May, CNESST): it is shown with the volunteer "
                          "value."),
    "rate_source_too_long": ("La source est trop longue : {max} caractères au plus.",
                             "The source is too long: at most {max} characters."),
    "rate_unknown_year": ("Aucun taux enregistré pour {year}.", "No rate recorded for {year}."),
    "rate_last_one": ("C'est le dernier taux : il en faut au moins un pour calculer la valeur du bénévolat.",
                      "This is the last rate: at least one is needed to compute the volunteer value."),
    # settings page
    "settings_title": ("Paramètres", "Settings"),
    "settings_col_setting": ("Paramètre", "Setting"),
    "settings_col_value": ("Valeur", "Value"),
    "settings_col_default": ("Par défaut", "Default"),
    "settings_col_meaning": ("Ce que c'est", "What it means"),
    "settings_col_by": ("Modifié par", "Changed by"),
    "settings_col_when": ("Le", "On"),
    "settings_col_changed": ("Dernière modification", "Last changed"),
    "settings_as_installed": ("valeur d'origine", "as installed"),
    "settings_change_heading": ("Modifier un paramètre", "Change a setting"),
    "settings_new_value": ("Nouvelle valeur", "New value"),
    "settings_new_percent": ("Nouvelle valeur (%)", "New value (%)"),
    "settings_bounds": ("Permis : de {low} à {high}. Par défaut : {default}.",
                        "Allowed: {low} to {high}. Default: {default}."),
    "settings_save": ("Enregistrer", "Save"),
    "settings_effect_public": ("Les tableaux publics seront recalculés avec la nouvelle valeur (jusqu'à une "
                               "demi-minute).",
                               "The public tables will be recomputed with the new value (up to half a minute)."),
    "settings_effect_peers": ("S'applique dès le prochain affichage de la page Mes données.",
                              "Applies from the next display of the My data page."),
    "settings_effect_login": ("S'applique dès la prochaine connexion ou le prochain chargement de page.",
                              "Applies from the next login or page load."),
    "settings_effect_upload": ("S'applique au prochain fichier téléversé.", "Applies to the next uploaded file."),
    "settings_saved": ("{name} : {old} → {new}.", "{name}: {old} → {new}."),
    "settings_unchanged": ("{name} vaut déjà {value} : rien n'a changé.",
                           "{name} is already {value}: nothing changed."),
    "settings_recomputing": ("Recalcul des tableaux publics…", "Recomputing the public tables…"),
    "settings_recomputed": ("Tableaux publics recalculés en {seconds} s.", "Public tables recomputed in {seconds} s."),
    "settings_rates_intro": ("Valeur du bénévolat = heures de bénévolat × taux de l'année. Une année sans taux prend "
                             "celui de l'année antérieure la plus proche. Le taux et sa source sont affichés avec les "
                             "chiffres publics.",
                             "Volunteer value = volunteer hours × the year's rate. A year without a rate takes that of "
                             "the closest earlier year. The rate and its source are shown with the public figures."),
    "settings_rate_set": ("Ajouter ou modifier un taux", "Add or change a rate"),
    "settings_rate_delete": ("Supprimer un taux", "Delete a rate"),
    "settings_rate_pick": ("Choisissez une année", "Choose a year"),
    "settings_rate_source_help": ("Ex. : salaire minimum général au 1er mai (CNESST), salaire horaire moyen d'un "
                                  "secteur (ISQ).",
                                  "E.g. general minimum wage on 1 May (CNESST), a sector's average hourly wage (ISQ)."),
    "settings_rate_saved": ("Taux {year} enregistré : {value}.", "Rate for {year} saved: {value}."),
    "settings_rate_unchanged": ("Le taux {year} est déjà {value} : rien n'a changé.",
                                "The {year} rate is already {value}: nothing changed."),
    "settings_rate_deleted": ("Taux {year} supprimé ; cette année prend maintenant le taux de l'année antérieure la "
                              "plus proche.",
                              "Rate for {year} deleted; that year now takes the rate of the closest earlier year."),
    "settings_rate_confirm": ("Je confirme la suppression", "I confirm the deletion"),
    "settings_rate_delete_button": ("Supprimer", "Delete"),
    "settings_history_heading": ("Historique des modifications", "Change history"),
    "settings_col_item": ("Élément", "Item"),
    "settings_col_old": ("Avant", "Before"),
    "settings_col_new": ("Après", "After"),
    "settings_item_rate": ("Taux du bénévolat {year}", "Volunteer rate {year}"),
    "settings_no_history": ("Aucune modification depuis l'installation.", "No change since installation."),
    "settings_accounts": ("Les comptes (ajout, mot de passe, désactivation) se gèrent à la page Comptes.",
                          "Accounts (add, password, disable) are managed on the Accounts page."),
    # --- original files and bulk import progress (issue 4)
    "sheet_too_large": ("La feuille « {sheet} » est trop grande pour être lue : elle s'étend sur {rows} lignes et "
                        "{columns} colonnes (jusqu'à la colonne {last_column}), soit {cells} cellules ; le maximum "
                        "est de {limit}. Supprimez ce qui se trouve sous les données ou à leur droite (une seule "
                        "valeur isolée tout en bas ou très à droite suffit à agrandir la feuille), enregistrez, puis "
                        "réessayez.",
                        "Sheet “{sheet}” is too large to be read: it spans {rows} rows and {columns} columns (up to "
                        "column {last_column}), that is {cells} cells; the maximum is {limit}. Delete whatever lies "
                        "below or to the right of the data (a single stray value far down or far right is enough to "
                        "stretch the sheet), save, then try again."),
    "file_too_many_cells": ("Les {sheets} feuilles de ce fichier totalisent {cells} cellules : le maximum est de "
                            "{limit}. Gardez seulement la feuille des données, ou envoyez le fichier en plusieurs "
                            "parties.",
                            "The {sheets} sheets of this file hold {cells} cells in all: the maximum is {limit}. Keep "
                            "only the data sheet, or send the file in several parts."),
    "csv_too_large": ("Ce fichier CSV est trop grand pour être lu : environ {cells} cellules sur {rows} lignes ; le "
                      "maximum est de {limit}. Envoyez-le en plusieurs parties.",
                      "This CSV file is too large to be read: about {cells} cells on {rows} lines; the maximum is "
                      "{limit}. Send it in several parts."),
    "forbidden_import_file": ("L'envoi n° {import_id} n'a pas été fait avec ce compte : son fichier n'est pas "
                              "accessible.",
                              "Submission no. {import_id} was not made with this account: its file is not "
                              "available."),
    "progress_safety": ("Vérification du fichier (taille, format, formules)…",
                        "Checking the file (size, format, formulas)…"),
    "progress_reading": ("Lecture des feuilles…", "Reading the sheets…"),
    "progress_validating": ("Vérification des lignes…", "Checking the rows…"),
    "progress_plausibility": ("Comparaison avec les années précédentes…", "Comparing with earlier years…"),
    "progress_done": ("Vérification terminée.", "Check complete."),
    "original_heading": ("Fichier d'origine", "Original file"),
    "original_text": ("Le fichier tel qu'il a été envoyé, octet pour octet, pour un envoi choisi.",
                      "The file exactly as it was sent, byte for byte, for a chosen submission."),
    "original_choice": ("Envoi", "Submission"),
    "original_label": ("n° {id} — {when} — {file} ({size} ko)", "no. {id} — {when} — {file} ({size} KB)"),
    "original_button": ("Télécharger le fichier d'origine", "Download the original file"),
    "original_none": ("Aucun fichier d'origine n'est conservé pour ces envois (données de démonstration, "
                      "annulations ou envois antérieurs à leur conservation).",
                      "No original file is kept for these submissions (demo data, undos, or submissions made "
                      "before files were kept)."),
    # --- my data: peers (issue 4)
    "peers_heading": ("Votre entreprise et celles de son secteur", "Your enterprise and those of its sector"),
    "peers_intro": ("Vos indicateurs à côté de la médiane des autres entreprises du même secteur ({sector}) la même "
                    "année, dans votre MRC ({mrc}), votre région ({region}) et au Québec : la moitié d'entre elles "
                    "déclarent moins, l'autre moitié plus.",
                    "Your indicators next to the median of the other enterprises of the same sector ({sector}) in the "
                    "same year, in your MRC ({mrc}), your region ({region}) and Québec: half of them report less, "
                    "half more."),
    "peers_year": ("Année comparée", "Year compared"),
    "peers_title": ("{sector} — médianes {year}", "{sector} — medians {year}"),
    "peers_indicator": ("Indicateur", "Indicator"),
    "peers_self": ("Votre entreprise", "Your enterprise"),
    "peers_median_of": ("Médiane — {place}", "Median — {place}"),
    "peers_n_of": ("Entreprises — {place}", "Enterprises — {place}"),
    "peers_region": ("région", "region"),
    "peers_note": ("Règle : vos propres entreprises ne font jamais partie du groupe (vos envois ne peuvent donc pas "
                   "faire bouger les médianes); une médiane repose sur au moins {min_count} autres entreprises du "
                   "secteur « {sector} » qui ont déclaré cette donnée pour {year} dans ce territoire, sinon elle est "
                   "remplacée par x; elle est arrondie à deux chiffres significatifs. Le nombre d'entreprises compte "
                   "ces autres entreprises.",
                   "Rule: your own enterprises are never part of the group (so your uploads cannot move the "
                   "medians); a median rests on at least {min_count} other enterprises of the sector “{sector}” that "
                   "reported this item for {year} in this territory, otherwise it is replaced by x; it is rounded to "
                   "two significant digits. The number of enterprises counts those other enterprises."),
    "peers_no_row": ("Aucune donnée de votre entreprise pour {year}.", "No figures of your enterprise for {year}."),
    # --- story: map, key messages, one-page sheet, slides (issue 13)
    "map_attribution": ("Limites : adapté de Statistique Canada, Fichier des limites cartographiques des divisions de "
                        "recensement, Recensement de 2016. Ceci ne constitue pas une approbation de ce produit par "
                        "Statistique Canada. Trois-Rivières + Les Chenaux, Saguenay + Le Fjord-du-Saguenay, "
                        "Sept-Rivières + Caniapiscau, Minganie + Le Golfe-du-Saint-Laurent et le Nord-du-Québec "
                        "forment chacun une seule zone de la carte.",
                        "Boundaries: adapted from Statistics Canada, 2016 Census Cartographic Boundary File – Census "
                        "Divisions (lcd_000b16a_e). This does not constitute an endorsement by Statistics Canada of "
                        "this product. Trois-Rivières + Les Chenaux, Saguenay + Le Fjord-du-Saguenay, Sept-Rivières + "
                        "Caniapiscau, Minganie + Le Golfe-du-Saint-Laurent and Nord-du-Québec are each one area of "
                        "the map."),
    "map_rate_label": ("{indicator} pour 1 000 habitants", "{indicator} per 1,000 inhabitants"),
    "map_choropleth_title": ("{indicator} pour 1 000 habitants — par MRC, {place}, {year}",
                             "{indicator} per 1,000 inhabitants — by MRC, {place}, {year}"),
    "story_heading": ("Messages clés", "Key messages"),
    "story_weight_both": ("En {year}, {place} compte {n} entreprises d'économie sociale, qui déclarent {jobs} "
                          "emplois et {revenue} de revenus.",
                          "In {year}, {n} social economy enterprises in {place} report {jobs} jobs and {revenue} of "
                          "revenue."),
    "story_weight_jobs": ("En {year}, {place} compte {n} entreprises d'économie sociale, qui déclarent {jobs} emplois.",
                          "In {year}, {n} social economy enterprises in {place} report {jobs} jobs."),
    "story_weight_revenue": ("En {year}, {place} compte {n} entreprises d'économie sociale, qui déclarent {revenue} "
                             "de revenus.",
                             "In {year}, {n} social economy enterprises in {place} report {revenue} of revenue."),
    "story_weight_count": ("En {year}, {place} compte {n} entreprises d'économie sociale qui ont déclaré leurs "
                           "chiffres.",
                           "In {year}, {n} social economy enterprises in {place} reported their figures."),
    "story_density": ("Avec {rate} emplois pour 1 000 habitants, {place} se situe {comparison}.",
                      "With {rate} jobs per 1,000 inhabitants, {place} is {comparison}."),
    "story_vs_region_above": ("au-dessus de sa région ({region} : {value})", "above its region ({region}: {value})"),
    "story_vs_region_below": ("en dessous de sa région ({region} : {value})", "below its region ({region}: {value})"),
    "story_vs_region_similar": ("près de sa région ({region} : {value})", "close to its region ({region}: {value})"),
    "story_vs_quebec_above": ("au-dessus de l'ensemble du Québec ({value})", "above Québec as a whole ({value})"),
    "story_vs_quebec_below": ("en dessous de l'ensemble du Québec ({value})", "below Québec as a whole ({value})"),
    "story_vs_quebec_similar": ("près de l'ensemble du Québec ({value})", "close to Québec as a whole ({value})"),
    "story_and": ("{first} et {second}", "{first} and {second}"),
    "story_change_up": ("À échantillon constant (les {n} entreprises qui ont déclaré en {previous} et en {year}), "
                        "l'emploi est en hausse de {pct} : de {before} à {now}.",
                        "At constant sample (the {n} enterprises that reported in {previous} and {year}), jobs are "
                        "up {pct}: from {before} to {now}."),
    "story_change_down": ("À échantillon constant (les {n} entreprises qui ont déclaré en {previous} et en {year}), "
                          "l'emploi est en baisse de {pct} : de {before} à {now}.",
                          "At constant sample (the {n} enterprises that reported in {previous} and {year}), jobs are "
                          "down {pct}: from {before} to {now}."),
    "story_change_stable": ("À échantillon constant (les {n} entreprises qui ont déclaré en {previous} et en {year}), "
                            "l'emploi est stable : {before} puis {now}.",
                            "At constant sample (the {n} enterprises that reported in {previous} and {year}), jobs "
                            "are stable: {before}, then {now}."),
    "story_sector_item": ("{sector} ({share} des emplois)", "{sector} ({share} of jobs)"),
    "story_sector_item_short": ("{sector} ({share})", "{sector} ({share})"),
    "story_quebec": ("le Québec", "Québec"),
    "story_sectors_all": ("Les secteurs qui emploient le plus : {sectors}.", "The sectors with the most jobs: {sectors}."),
    "story_sectors_all_one": ("Le secteur qui emploie le plus : {sectors}.", "The sector with the most jobs: {sectors}."),
    "story_sectors_published": ("Parmi les secteurs dont les chiffres sont publiés, ceux qui emploient le plus : "
                                "{sectors}.",
                                "Among the sectors whose figures are published, those with the most jobs: {sectors}."),
    "story_sectors_published_one": ("Parmi les secteurs dont les chiffres sont publiés, celui qui emploie le plus : "
                                    "{sectors}.",
                                    "Among the sectors whose figures are published, the one with the most jobs: "
                                    "{sectors}."),
    "story_volunteers_hours": ("{n} bénévoles y ont donné {hours} heures, l'équivalent de {fte} emplois à temps "
                               "plein{extra}.",
                               "{n} volunteers gave {hours} hours, the equivalent of {fte} full-time jobs{extra}."),
    "story_hours_only": ("Les bénévoles y ont donné {hours} heures, l'équivalent de {fte} emplois à temps plein{extra}.",
                         "Volunteers gave {hours} hours, the equivalent of {fte} full-time jobs{extra}."),
    "story_volunteers_only": ("On y compte {n} bénévoles.", "{n} volunteers are active there."),
    "story_volunteer_value": (" (valeur estimée : {value})", " (estimated value: {value})"),
    "note_too_long": ("Le paragraphe local compte {length} caractères : {max} au plus.",
                      "The local paragraph has {length} characters: {max} at most."),
    "note_heading": ("Paragraphe local (fiche d'une page)", "Local paragraph (one-page sheet)"),
    "note_help": ("Texte libre imprimé tel quel sur la fiche de ce territoire, dans la langue de l'interface "
                  "({max} caractères au plus). Laissez vide pour l'enlever.",
                  "Free text printed as typed on this territory's sheet, in the interface's language ({max} "
                  "characters at most). Leave empty to remove it."),
    "note_save": ("Enregistrer le paragraphe", "Save the paragraph"),
    "note_saved": ("Paragraphe local enregistré.", "Local paragraph saved."),
    "note_removed": ("Paragraphe local retiré.", "Local paragraph removed."),
    "sheet_title": ("Fiche — {place}, {year}", "Fact sheet — {place}, {year}"),
    "sheet_kicker": ("Fiche territoriale de l'économie sociale", "Social economy fact sheet"),
    "sheet_population": ("{population} habitants", "{population} inhabitants"),
    "sheet_note_heading": ("Le mot du pôle", "A word from the pôle"),
    "report_sheet": ("Fiche d'une page (PDF)", "One-page sheet (PDF)"),
    "slide_figures_title": ("Chiffres clés — {place}, {year}", "Key figures — {place}, {year}"),
    "slide_figures_note": ("Les chiffres publiés de l'année ; x : donnée confidentielle.",
                           "The year's published figures; x: confidential."),
    "slide_sources_title": ("Notes et sources", "Notes and sources"),
    "heatmap_share_title": ("{indicator} : part de chaque secteur, par {level} — {place}, {year}",
                            "{indicator}: each sector's share, by {level} — {place}, {year}"),
    "heatmap_share_axis": ("Part du territoire (%)", "Share of the territory (%)"),
    "heatmap_share_note": ("Chaque case : la part du secteur dans le total du territoire (colonne), pour que les "
                           "petits territoires se lisent aussi ; la valeur s'affiche au survol et dans le tableau "
                           "ci-dessous. x : donnée confidentielle.",
                           "Each cell: the sector's share of the territory's total (column), so that small "
                           "territories can be read too; the value shows on hover and in the table below. "
                           "x: confidential."),
    "compare_placeholder": ("Choisissez des territoires", "Choose territories"),
    "channel_app": ("Application web", "Web app"),
    "channel_cli": ("Ligne de commande", "Command line"),
    "channel_undo": ("Annulation", "Undo"),
    "channel_demo": ("Données de démonstration", "Demo data"),
    "nav_presentation": ("Présentation", "Presentation"),
    "presentation_open": ("Mode présentation (plein écran)", "Presentation mode (full screen)"),
    "presentation_previous": ("Précédent", "Previous"),
    "presentation_next": ("Suivant", "Next"),
    "presentation_exit": ("Quitter la présentation", "Leave the presentation"),
    "presentation_keys": ("← → ou Page préc. / Page suiv. : écran précédent ou suivant ; Échap : quitter",
                          "← → or Page up / Page down: previous or next screen; Esc: leave"),
    "link_unknown": ("Le lien demande « {value} » pour « {label} » : cette valeur n'existe pas ici ; le filtre "
                     "reprend sa valeur par défaut.",
                     "The link asks for “{value}” as “{label}”: there is no such value here; the filter is back "
                     "to its default."),
    "map_legend_note": ("Gris foncé : x, donnée confidentielle ; gris pâle : aucune entreprise déclarante.",
                        "Dark grey: x, confidential; light grey: no reporting enterprise."),
    # --- issue 14: from size to impact (value added, spin-offs, volunteer value range, reach, multipliers)
    "parts_above_total_contracts": (
        "Revenus autonomes + subventions + contrats et ententes de service publics ({value}) supérieurs aux revenus "
        "totaux ({total}) : vérifiez.",
        "Earned revenue + grants + public service agreements ({value}) above total revenue ({total}): check."),
    "multipliers_too_large": (
        "Fichier de multiplicateurs trop volumineux (plus de {max} Mo) : téléchargez seulement les lignes du Québec "
        "(« Télécharger les données sélectionnées (pour le chargement de bases de données) »).",
        "Multipliers file too large (over {max} MB): download the Québec rows only (“Download selected data (for "
        "database loading)”)."),
    "multipliers_not_table": (
        "Ce fichier n'est pas le tableau 36-10-0595-01 de Statistique Canada au format CSV : colonnes manquantes "
        "({missing}).",
        "This file is not Statistics Canada's table 36-10-0595-01 as CSV: missing columns ({missing})."),
    "multipliers_malformed": ("Fichier CSV mal formé à la ligne {line} ({detail}).",
                              "Malformed CSV file at line {line} ({detail})."),
    "multipliers_no_quebec": (
        "Aucune ligne du Québec avec des multiplicateurs direct, indirect ou induit d'emplois, de PIB ou de revenu "
        "du travail dans ce fichier.",
        "No Québec row with direct, indirect or induced multipliers of jobs, GDP or labour income in this file."),
    "multipliers_mapping_invalid": (
        "Fichier de correspondance secteurs → industries illisible ({detail}) : colonnes attendues sector, "
        "io_industry_code, io_industry_label.",
        "Unreadable sector → industry mapping file ({detail}): expected columns sector, io_industry_code, "
        "io_industry_label."),
    "multipliers_unmapped": (
        "Secteurs sans industrie dans ce fichier : {sectors}. Corrigez la correspondance "
        "(ess_impact/data/sector_io_industries.csv) et passez-la avec --mapping ; rien n'a été chargé.",
        "Sectors without an industry in this file: {sectors}. Fix the mapping "
        "(ess_impact/data/sector_io_industries.csv) and pass it with --mapping; nothing was loaded."),
    "multipliers_loaded": (
        "Multiplicateurs chargés : année de référence {year}, {industries} industries, {rows} valeurs ({skipped} "
        "lignes sans valeur ignorées).",
        "Multipliers loaded: reference year {year}, {industries} industries, {rows} values ({skipped} rows "
        "without a value skipped)."),
    "multipliers_missing": (
        "Aucun tableau de multiplicateurs chargé. Pour estimer les retombées : téléchargez le tableau 36-10-0595-01 "
        "de Statistique Canada (« Multiplicateurs d'entrées-sorties, provinciaux et territoriaux, niveau détaillé », "
        "format CSV) puis, comme administrateur : ess-impact multipliers import FICHIER.csv",
        "No multipliers table loaded. To estimate spin-offs: download Statistics Canada's table 36-10-0595-01 "
        "(“Input-output multipliers, provincial and territorial, detail level”, CSV) then, as an admin: "
        "ess-impact multipliers import FILE.csv"),
    "multipliers_source": (
        "Source des multiplicateurs : Statistique Canada, tableau 36-10-0595-01, Québec, année de référence {year} "
        "(Licence du gouvernement ouvert — Statistique Canada). Adapté de Statistique Canada ; ceci ne constitue "
        "pas une approbation de ce produit par Statistique Canada.",
        "Multipliers: Statistics Canada, table 36-10-0595-01, Québec, reference year {year} (Statistics Canada "
        "Open Licence). Adapted from Statistics Canada; this does not constitute an endorsement by Statistics "
        "Canada of this product."),
    "demo_high_rate_source": (
        "taux fictif de démonstration : remplacez-le par le salaire horaire moyen du travail que font les bénévoles",
        "fictitious demonstration rate: replace it with the average hourly wage of the work volunteers do"),
    "impact_heading": ("Impact (estimations)", "Impact (estimates)"),
    "impact_value_added": ("Valeur ajoutée (contribution au PIB)", "Value added (contribution to GDP)"),
    "impact_value_added_help": (
        "Masse salariale + excédent d'exploitation (revenus totaux − charges totales). À ne pas confondre avec "
        "les revenus ({revenue}).",
        "Payroll + operating surplus (total revenue − total expenses). Not to be confused with revenue "
        "({revenue})."),
    "impact_value_added_missing": (
        "Non disponible : {reported} entreprises sur {enterprises} ont déclaré leurs charges totales.",
        "Not available: {reported} of {enterprises} enterprises reported their total expenses."),
    "impact_volunteer_range": ("Valeur du bénévolat", "Value of volunteering"),
    "impact_volunteer_range_value": ("entre {low} et {high}", "between {low} and {high}"),
    "impact_volunteer_range_help": (
        "Heures de bénévolat × salaire minimum ({low_rate}, {low_source}) et × salaire du travail fait "
        "({high_rate}, {high_source}) : méthode du coût de remplacement (BIT, Manuel sur la mesure du travail "
        "bénévole).",
        "Volunteer hours × minimum wage ({low_rate}, {low_source}) and × the wage of the work done "
        "({high_rate}, {high_source}): replacement-cost method (ILO Manual on the Measurement of Volunteer "
        "Work)."),
    "impact_volunteer_no_high": (
        "Taux spécialisé non fixé : un administrateur l'ajoute dans Paramètres.",
        "Specialised rate not set: an admin adds it on Paramètres."),
    "impact_reach": ("Personnes desservies ou participantes", "People served or participating"),
    "impact_reach_help": (
        "Déclarées par {reported} entreprises sur {enterprises} ; {per_1000} pour 1 000 habitants.",
        "Reported by {reported} of {enterprises} enterprises; {per_1000} per 1,000 inhabitants."),
    "impact_spinoff_jobs": ("Emplois soutenus (estimation)", "Jobs supported (estimate)"),
    "impact_spinoff_gdp": ("PIB soutenu (estimation)", "GDP supported (estimate)"),
    "impact_spinoff_labour_income": ("Revenu du travail soutenu (estimation)", "Labour income supported (estimate)"),
    "impact_spinoff_detail": ("directs {direct} · indirects {indirect} · induits {induced}",
                              "direct {direct} · indirect {indirect} · induced {induced}"),
    "impact_spinoff_caveat": (
        "Estimation : revenus des entreprises par secteur × multiplicateurs provinciaux d'entrées-sorties. Des "
        "multiplicateurs du Québec appliqués à un territoire surestiment ce qui y reste (les achats sortent de la "
        "région) ; les retombées de territoires voisins ne s'additionnent pas (les chaînes d'approvisionnement les "
        "traversent). Les secteurs confidentiels (x) sont estimés au multiplicateur moyen de ces secteurs.",
        "Estimate: the enterprises' revenue by sector × provincial input-output multipliers. Québec multipliers "
        "applied to a territory overstate what stays there (purchases leave the region); neighbouring territories' "
        "spin-offs do not add up (supply chains cross them). Confidential sectors (x) are estimated at those "
        "sectors' average multiplier."),
    "methodology_impact_heading": ("Impact : valeur ajoutée, retombées, bénévolat, portée",
                                   "Impact: value added, spin-offs, volunteering, reach"),
    "methodology_impact": (
        "- **Valeur ajoutée** (contribution au PIB) = masse salariale + excédent d'exploitation, où l'excédent = "
        "revenus totaux − charges totales (colonne facultative « Charges totales ($) », masse salariale comprise). "
        "Publiée seulement là où toutes les entreprises ont déclaré leurs charges ; une masse salariale non déclarée "
        "compte pour 0. Ce ne sont pas les revenus : les revenus comptent aussi les achats à d'autres entreprises.\n"
        "- **Autonomie financière** = (revenus autonomes + revenus de contrats et ententes de service publics) ÷ "
        "revenus totaux : un gouvernement qui achète un service est un client, pas un bailleur de fonds.\n"
        "- **Valeur du bénévolat** : heures × salaire minimum de l'année (bas de la fourchette) et heures × salaire "
        "horaire du travail fait par les bénévoles (haut), les deux fixés par année avec leur source dans "
        "Paramètres (méthode du coût de remplacement, BIT, *Manuel sur la mesure du travail bénévole*, 2011).\n"
        "- **Portée** : personnes desservies ou participantes déclarées, total et pour 1 000 habitants, avec le "
        "nombre d'entreprises qui l'ont déclarée (une personne servie par deux entreprises compte deux fois).\n"
        "- **Retombées économiques** (estimation) : pour chaque secteur, revenus × multiplicateurs direct, indirect "
        "et induit de son industrie (emplois par dollar de production, PIB aux prix de base, revenu du travail), "
        "Statistique Canada, tableau 36-10-0595-01, Québec. Les revenus tiennent lieu de production. Direct : dans "
        "l'industrie elle-même ; indirect : chez ses fournisseurs ; induit : par les dépenses des salariés.\n"
        "- Mises en garde : multiplicateurs provinciaux appliqués à un territoire (surestiment ce qui reste sur "
        "place) ; non additifs entre territoires ; une estimation, pas une mesure. Toutes ces valeurs sont des "
        "sommes sur des entreprises et suivent les mêmes règles de confidentialité.",
        "- **Value added** (contribution to GDP) = payroll + operating surplus, where surplus = total revenue − "
        "total expenses (optional column “Charges totales ($)”, payroll included). Published only where every "
        "enterprise reported its expenses; payroll not reported counts as 0. Not revenue: revenue also counts "
        "purchases from other businesses.\n"
        "- **Financial autonomy** = (earned revenue + public service contract and agreement revenue) ÷ total "
        "revenue: a government buying a service is a client, not a funder.\n"
        "- **Value of volunteering**: hours × the year's minimum wage (low end) and hours × the hourly wage of the "
        "work volunteers do (high end), both set by year with their source on Paramètres (replacement-cost "
        "method, ILO *Manual on the Measurement of Volunteer Work*, 2011).\n"
        "- **Reach**: people served or taking part as reported, total and per 1,000 inhabitants, with how many "
        "enterprises reported it (a person served by two enterprises counts twice).\n"
        "- **Economic spin-offs** (estimate): for each sector, revenue × the direct, indirect and induced "
        "multipliers of its industry (jobs per dollar of output, GDP at basic prices, labour income), Statistics "
        "Canada table 36-10-0595-01, Québec. Revenue stands for output. Direct: in the industry itself; indirect: "
        "at its suppliers; induced: through employees' spending.\n"
        "- Caveats: provincial multipliers applied to a territory (overstate what stays local); not additive "
        "across territories; an estimate, not a measurement. All these values are sums over enterprises and follow "
        "the same confidentiality rules."),
    "settings_rate_high_heading": ("Taux spécialisé du bénévolat (haut de la fourchette)",
                                   "Specialised volunteer rate (high end of the range)"),
    "settings_rate_high_help": (
        "Salaire horaire moyen du travail que font les bénévoles (p. ex. assistance sociale et services "
        "communautaires, Statistique Canada, tableau 14-10-0064-01, Québec), par année, avec sa source.",
        "Average hourly wage of the work volunteers do (e.g. social assistance and community services, Statistics "
        "Canada table 14-10-0064-01, Québec), by year, with its source."),
    "settings_item_rate_high": ("Taux spécialisé du bénévolat {year}", "Specialised volunteer rate {year}"),
    "rate_high_saved": ("Taux spécialisé de {year} enregistré.", "Specialised rate for {year} saved."),
    "story_value_added": (" Leur valeur ajoutée (contribution au PIB) est de {value}.",
                          " Their value added (contribution to GDP) is {value}."),
    "story_volunteer_range": (" (valeur estimée : entre {low} et {high})", " (estimated value: between {low} and {high})"),
    "methodology_multipliers_note": (
        "Multiplicateurs du Québec en vigueur par secteur (l'industrie d'entrées-sorties de chaque secteur : "
        "ess_impact/data/sector_io_industries.csv) : emplois par million de dollars de revenus ; PIB en dollars "
        "par dollar de revenus.",
        "Québec multipliers in force by sector (each sector's input-output industry: "
        "ess_impact/data/sector_io_industries.csv): jobs per million dollars of revenue; GDP in dollars per dollar "
        "of revenue."),
}


def t(key: str, lang: str = "fr", **params) -> str:
    fr, en = TEXT[key]
    text = en if lang == "en" else fr
    return text.format(**params) if params else text


# The source stored with the default volunteer rates (French, as stored); shown translated.
# A source stored as a code ("@" + a key of this catalogue) is shown in the reader's language; any other source is
# shown as the admin typed it. The database stores codes, never the catalogue's sentences.
SOURCE_CODE = "@"
MINIMUM_WAGE_SOURCE = SOURCE_CODE + "minimum_wage_source"


def rate_source(source: str, lang: str = "fr") -> str:
    """The source of a volunteer rate as the reader should see it: a code translated, others as typed."""
    key = source[len(SOURCE_CODE):] if source.startswith(SOURCE_CODE) else None
    return t(key, lang) if key in TEXT else source


@dataclass(frozen=True)
class Indicator:
    key: str
    label_fr: str
    label_en: str
    unit: str  # count | jobs | fte | money | hours | ratio | per_1000
    definition_fr: str
    definition_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_fr

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_fr


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("enterprises", "Entreprises déclarantes", "Reporting enterprises", "count",
              "Entreprises ayant déclaré leurs chiffres pour l'année.", "Enterprises that reported figures for the year."),
    Indicator("jobs_full_time", "Emplois à temps plein", "Full-time jobs", "jobs",
              "Personnes salariées à temps plein.", "Full-time employees."),
    Indicator("jobs_part_time", "Emplois à temps partiel", "Part-time jobs", "jobs",
              "Personnes salariées à temps partiel.", "Part-time employees."),
    Indicator("jobs_total", "Emplois (total)", "Jobs (total)", "jobs",
              "Emplois à temps plein et à temps partiel (nombre de personnes).", "Full-time and part-time jobs (headcount)."),
    Indicator("fte", "Emplois en ETP", "Jobs in FTE", "fte",
              "Équivalents temps plein : heures rémunérées ÷ base ETP (heures par année).", "Full-time equivalents: paid hours ÷ FTE basis (hours per year)."),
    Indicator("payroll", "Masse salariale", "Payroll", "money",
              "Salaires bruts versés.", "Gross wages paid."),
    Indicator("revenue_total", "Revenus totaux", "Total revenue", "money",
              "Tous les revenus de l'exercice.", "All revenue of the fiscal year."),
    Indicator("revenue_earned", "Revenus autonomes", "Earned revenue", "money",
              "Ventes de biens et services et cotisations, et contrats et ententes de service publics.",
              "Sales of goods and services, dues, and public service contracts and agreements."),
    Indicator("revenue_grants", "Subventions publiques", "Public grants", "money",
              "Subventions des gouvernements et organismes publics.", "Grants from governments and public bodies."),
    Indicator("earned_share", "Autonomie financière", "Financial autonomy", "ratio",
              "Revenus autonomes ÷ revenus totaux (entreprises ayant déclaré leurs revenus autonomes).",
              "Earned revenue ÷ total revenue (enterprises that reported earned revenue)."),
    Indicator("grant_share", "Part des subventions", "Grant share", "ratio",
              "Subventions ÷ revenus totaux (entreprises ayant déclaré leurs subventions).",
              "Grants ÷ total revenue (enterprises that reported grants)."),
    Indicator("volunteers", "Bénévoles", "Volunteers", "count",
              "Personnes bénévoles actives dans l'année.", "Volunteers active in the year."),
    Indicator("volunteer_hours", "Heures de bénévolat", "Volunteer hours", "hours",
              "Total des heures de bénévolat déclarées.", "Total volunteer hours reported."),
    Indicator("volunteer_fte", "Bénévolat en ETP", "Volunteer FTE", "fte",
              "Heures de bénévolat divisées par la base ETP.", "Volunteer hours divided by the FTE basis."),
    Indicator("volunteer_value", "Valeur du bénévolat", "Volunteer value", "money",
              "Heures de bénévolat × taux horaire de l'année (méthode du coût de remplacement).",
              "Volunteer hours × the year's hourly rate (replacement-cost method)."),
    Indicator("members", "Membres", "Members", "count",
              "Membres déclarés (coopératives, mutuelles, OBNL à membres).", "Members reported (co-ops, mutuals, membership non-profits)."),
    Indicator("jobs_per_1000", "Emplois pour 1 000 habitants", "Jobs per 1,000 inhabitants", "per_1000",
              "Emplois (total) × 1 000 ÷ population du territoire.", "Jobs (total) × 1,000 ÷ population of the territory."),
    Indicator("revenue_per_1000", "Revenus pour 1 000 habitants", "Revenue per 1,000 inhabitants", "money",
              "Revenus totaux × 1 000 ÷ population du territoire.", "Total revenue × 1,000 ÷ population of the territory."),
    Indicator("volunteer_hours_per_1000", "Heures de bénévolat pour 1 000 habitants",
              "Volunteer hours per 1,000 inhabitants", "per_1000",
              "Heures de bénévolat × 1 000 ÷ population du territoire.",
              "Volunteer hours × 1,000 ÷ population of the territory."),
    Indicator("share", "Part", "Share", "ratio", "Part du total du territoire.", "Share of the territory's total."),
    # issue 14
    Indicator("expenses_total", "Charges totales", "Total expenses", "money",
              "Toutes les charges de l'exercice, masse salariale comprise.", "All expenses, payroll included."),
    Indicator("value_added", "Valeur ajoutée", "Value added", "money",
              "Masse salariale + revenus totaux − charges totales (là où toutes les entreprises ont déclaré leurs "
              "charges).", "Payroll + total revenue − total expenses (where every enterprise reported expenses)."),
    Indicator("volunteer_value_low", "Valeur du bénévolat (bas)", "Volunteer value (low)", "money",
              "Heures de bénévolat × salaire minimum de l'année.", "Volunteer hours × the year's minimum wage."),
    Indicator("volunteer_value_high", "Valeur du bénévolat (haut)", "Volunteer value (high)", "money",
              "Heures de bénévolat × salaire horaire du travail fait.", "Volunteer hours × the wage of the work done."),
    Indicator("people_served", "Personnes desservies", "People served", "count",
              "Personnes desservies ou participantes déclarées.", "People served or participating, as reported."),
    Indicator("people_served_per_1000", "Personnes desservies pour 1 000 habitants",
              "People served per 1,000 inhabitants", "per_1000",
              "Personnes desservies × 1 000 ÷ population.", "People served × 1,000 ÷ population."),
)}
