# mdtable.awk: print |-separated rows as an aligned Markdown table, the
# first and last columns left-aligned, the others right-aligned (numbers).
# Usage: awk -F'|' -v header='what|frames/s|note' -f scripts/mdtable.awk ROWS
{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
END {
	n = split(header, h, "|")
	for (i = 1; i <= n; i++) if (length(h[i]) > w[i]) w[i] = length(h[i])
	line = ""
	for (i = 1; i <= n; i++) line = line sprintf(i == 1 || i == n ? "| %-*s " : "| %*s ", w[i], h[i])
	print line "|"
	line = ""
	for (i = 1; i <= n; i++) { d = ""; for (j = 0; j < w[i]; j++) d = d "-"; line = line "|" (i == 1 || i == n ? "-" d "-" : "-" d ":") }
	print line "|"
	for (r = 1; r <= NR; r++) {
		line = ""
		for (i = 1; i <= n; i++) line = line sprintf(i == 1 || i == n ? "| %-*s " : "| %*s ", w[i], cell[r, i])
		print line "|"
	}
}
