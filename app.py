"""Entry point for `streamlit run app.py` from a checkout (`ess-impact run` starts ess_impact/web/app.py, the same
two lines, so that an installed package runs from any folder). Everything is in ess_impact.web.router."""

from ess_impact.web.router import main

main()
