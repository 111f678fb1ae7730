-- wrk script: plain GETs of the URL given, one RESULT line.
done = dofile(os.getenv("PO_BENCH_DIR") .. "/report.lua")
