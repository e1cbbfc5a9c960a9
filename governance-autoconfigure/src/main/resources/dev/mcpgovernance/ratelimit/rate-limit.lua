-- One check (or refund) of a rate-limit bucket in one round trip: GCRA, the "generic cell rate
-- algorithm", which is the greedy-refill token bucket of the memory store (full at first, capacity
-- calls per period, refilled at capacity per period) kept as one time instead of a count.
--
-- KEYS[1]  the bucket
-- ARGV[1]  'consume' (take one call) or 'refund' (give one back, never beyond full)
-- ARGV[2]  capacity: calls per period
-- ARGV[3]  the period, in microseconds
-- ARGV[4]  the interval between two calls (period / capacity), whole microseconds
-- ARGV[5]  ... and the rest of it, in 1/capacity microseconds
--
-- The bucket's value is "<tat>:<rem>": its theoretical arrival time, tat + rem/capacity microseconds
-- on the Redis server's clock, the moment at which it is full again. Every number here is an integer
-- below 2^53, so Lua's doubles hold it exactly. Answers {1, 0, 0} when allowed, {0, us, rem} when
-- refused: the wait is us + rem/capacity microseconds.
local capacity = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local interval_rem = tonumber(ARGV[5])

-- The server's clock, so that replicas whose own clocks disagree still share one bucket.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- No bucket, a bucket that is full again, or a value that is not ours (an old Bucket4j bucket): full.
local tat, rem = now, 0
local value = redis.call('GET', KEYS[1])
if value then
  local stored_tat, stored_rem = string.match(value, '^(%d+):(%d+)$')
  if stored_tat and tonumber(stored_tat) >= now and tonumber(stored_rem) < capacity then
    tat, rem = tonumber(stored_tat), tonumber(stored_rem)
  end
end
-- Never emptier than empty, should the server's clock have gone back.
if tat > now + period or (tat == now + period and rem > 0) then
  tat, rem = now + period, 0
end

if ARGV[1] == 'consume' then
  local next_tat, next_rem = tat + interval, rem + interval_rem
  if next_rem >= capacity then
    next_tat, next_rem = next_tat + 1, next_rem - capacity
  end
  -- Allowed while taking the call leaves the bucket no further than one period from full.
  local limit = now + period
  if next_tat > limit or (next_tat == limit and next_rem > 0) then
    return {0, next_tat - limit, next_rem}
  end
  tat, rem = next_tat, next_rem
else
  tat, rem = tat - interval, rem - interval_rem
  if rem < 0 then
    tat, rem = tat - 1, rem + capacity
  end
  if tat < now or (tat == now and rem == 0) then
    redis.call('DEL', KEYS[1])
    return {1, 0, 0}
  end
end

-- Redis forgets the bucket when it is full again, which is the same as no bucket.
local micros = tat - now
if rem > 0 then
  micros = micros + 1
end
redis.call('SET', KEYS[1], string.format('%d:%d', tat, rem), 'PX', math.ceil(micros / 1000))
return {1, 0, 0}
