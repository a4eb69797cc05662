local n = 0
local function step() n = n + 1 end
local queue, head, tail = {}, 1, 0
for i = 0, 300000 - 1 do
  tail = tail + 1
  queue[tail] = step
end
while head <= tail do
  local job = queue[head]
  queue[head] = nil
  head = head + 1
  job()
end
print(n)
