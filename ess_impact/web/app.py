"""Entry point of the web app (`ess-impact run` starts this file with Streamlit): everything is in the router."""

from ess_impact.web.router import main

main()
