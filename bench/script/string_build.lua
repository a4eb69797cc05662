local parts = {}
for i = 0, 1000000 - 1 do parts[#parts + 1] = tostring(i) end
local s = table.concat(parts, ",")
print(#s)
