from __future__ import annotations
from exo import proc
from exo.stdlib.scheduling import *

@proc
def guarded(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        if i < n - 1:
            x[i] = y[i + 1]
        else:
            x[i] = 0.0

@proc
def nested_ifs(n: size, m: size, x: f32[n, m]):
    assert n >= 1
    for i in seq(0, n):
        if i > 0:
            for j in seq(1, m):
                if j < i:
                    x[i, j] = x[i - 1, j - 1]

@proc
def else_branch(n: size, m: size, y: f32[4], z: f32[m]):
    assert n > 3
    for i in seq(0, n):
        if i < m:
            z[i] = 2.0
        else:
            y[i % 4] = 1.0

@proc
def compound(n: size, x: f32[n]):
    for i in seq(0, n):
        if i > 2 and i < n - 1:
            x[i] = 1.0
        elif i == 0 or i == 1:
            x[i] = 2.0

p, sub = extract_subproc(guarded, guarded.find("x[_] = y[_]"), "sub_if_body")
print(p)
print(sub)
p, sub = extract_subproc(guarded, guarded.find("if _:_"), "sub_if_whole")
print(p)
print(sub)
p, sub = extract_subproc(nested_ifs, nested_ifs.find("x[_] = _"), "sub_nested_ifs_stmt")
print(p)
print(sub)
p, sub = extract_subproc(nested_ifs, nested_ifs.find("if j < i: _"), "sub_nested_ifs_if")
print(p)
print(sub)
p, sub = extract_subproc(else_branch, else_branch.find("y[_] = _"), "sub_else_branch")
print(p)
print(sub)
p, sub = extract_subproc(else_branch, else_branch.find("z[_] = _"), "sub_then_branch")
print(p)
print(sub)
p, sub = extract_subproc(compound, compound.find("x[_] = 1.0"), "sub_compound_then")
print(p)
print(sub)
p, sub = extract_subproc(compound, compound.find("x[_] = 2.0"), "sub_compound_elif")
print(p)
print(sub)
