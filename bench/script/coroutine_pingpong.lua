local co = coroutine.create(function(x)
  while true do x = coroutine.yield(x + 1) end
end)
local v = 0
for i = 0, 1000000 - 1 do
  local _, r = coroutine.resume(co, v)
  v = r
end
print(v)
