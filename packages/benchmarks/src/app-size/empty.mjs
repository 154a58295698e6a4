// The empty Node script: what starting Node costs, subtracted from every app's time.
