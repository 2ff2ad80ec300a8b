#!/usr/bin/python3
"""Dev-only: runs `tweakdrizzle find --mode dao` on every conformance case exactly as the README says.
usage: run_cases.py CLI_DLL CASES_DIR OUT_DIR"""
import json, os, subprocess, sys
cli, cases, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
for name in sorted(os.listdir(cases)):
    d = os.path.join(cases, name)
    if not os.path.isdir(d):
        continue
    p = json.load(open(os.path.join(d, 'params.json')))
    args = ['dotnet', cli, 'find', os.path.join(d, 'image.fits'), '--fwhm', repr(p['fwhm']), '--threshold', repr(p['threshold']),
            '--sigma-radius', repr(p['sigma_radius']), '--ratio', repr(p['ratio']), '--theta', repr(p['theta']),
            '--sharplo', repr(p['sharplo']), '--sharphi', repr(p['sharphi']), '--roundlo', repr(p['roundlo']), '--roundhi', repr(p['roundhi'])]
    if p['exclude_border']:
        args.append('--exclude-border')
    if p['peakmax'] is not None:
        args += ['--peakmax', repr(p['peakmax'])]
    if p['brightest'] is not None:
        args += ['--brightest', repr(p['brightest'])]
    args += ['--mode', 'dao', '--out', os.path.join(out, name + '.csv')]
    r = subprocess.run(args, capture_output=True, text=True)
    print(name, r.returncode, r.stdout.strip(), r.stderr.strip())
