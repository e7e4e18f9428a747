DETACH ess_backup
