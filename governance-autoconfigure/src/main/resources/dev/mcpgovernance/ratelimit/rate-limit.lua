-- A check (or refund) of one or more rate-limit buckets in one round trip: GCRA, the "generic cell
-- rate algorithm", which is the greedy-refill token bucket of the memory store (full at first,
-- capacity calls per period, refilled at capacity per period) kept as one time instead of a count.
--
-- KEYS[i]  the buckets (one for a caller's rpm; up to three for a tool call: per caller, global, budget)
-- ARGV[1]  'consume' (take one call from every bucket, or from none), 'consume-first-then' (take
--          one call from bucket 1; only when it allowed, one from every other bucket or from none of
--          them: a caller's rpm and a tool call's buckets in one round trip) or 'refund' (give calls
--          back to every bucket, never beyond full)
-- ARGV[2]  how many calls: for a check, the calls a replica asks for at once (a lease: the check's
--          own call and the ones it holds for the next checks of the same buckets); more than one
--          is granted only when every bucket is still at least half full afterwards, else the
--          check takes exactly one as usual. For a refund, the calls given back to every bucket.
-- then four arguments per bucket, bucket i's starting at ARGV[3 + 4 * (i - 1)]:
--          capacity (calls per period), the period in microseconds, the interval between two calls
--          (period / capacity) in whole microseconds, and the rest of it in 1/capacity microseconds
--
-- A bucket's value is "<tat>:<rem>": its theoretical arrival time, tat + rem/capacity microseconds
-- on the Redis server's clock, the moment at which it is full again. Every number here is an integer
-- below 2^53, so Lua's doubles hold it exactly. Answers {1, n, 0, 0} when allowed, n the calls taken
-- from every bucket (1, or the count asked for), {0, us, rem, i} when bucket i refused (and nothing
-- was taken): the wait is us + rem/capacity microseconds. For 'consume-first-then', {2, us, rem, i}
-- when bucket 1 allowed (and one call was taken from it) and bucket i of the others refused (and
-- none of them was taken).

-- The server's clock, so that replicas whose own clocks disagree still share one bucket.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local count = tonumber(ARGV[2])

local function argument(i, n)
  return tonumber(ARGV[3 + 4 * (i - 1) + n])
end

-- Bucket i's state. No bucket, a bucket that is full again, or a value that is not ours (an old
-- Bucket4j bucket): full.
local function state(i, capacity, period)
  local tat, rem = now, 0
  local value = redis.call('GET', KEYS[i])
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
  return tat, rem
end

-- Redis forgets a bucket when it is full again, which is the same as no bucket.
local function store(i, tat, rem)
  if tat < now or (tat == now and rem == 0) then
    redis.call('DEL', KEYS[i])
    return
  end
  local micros = tat - now
  if rem > 0 then
    micros = micros + 1
  end
  redis.call('SET', KEYS[i], string.format('%d:%d', tat, rem), 'PX', math.ceil(micros / 1000))
end

-- Bucket i after taking n calls, or nil and the wait when it refuses. With half, only while the
-- bucket stays at least half full (a lease never takes a bucket's last half).
local function take(i, n, half)
  local capacity, period = argument(i, 0), argument(i, 1)
  local interval, interval_rem = argument(i, 2), argument(i, 3)
  local tat, rem = state(i, capacity, period)
  local next_tat, next_rem = tat + n * interval, rem + n * interval_rem
  if next_rem >= capacity then
    local carry = math.floor(next_rem / capacity)
    next_tat, next_rem = next_tat + carry, next_rem - carry * capacity
  end
  -- Allowed while taking the calls leaves the bucket no further than one period from full (half a
  -- period for a lease).
  local limit = now + period
  if half then
    limit = now + math.floor(period / 2)
  end
  if next_tat > limit or (next_tat == limit and next_rem > 0) then
    return nil, next_tat - limit, next_rem
  end
  return {next_tat, next_rem}
end

-- Takes n calls from each of buckets first..#KEYS, or from none: every one is checked before any
-- is written. Nil when all allowed, else the refusal.
local function take_all(first, n, half)
  local taken = {}
  for i = first, #KEYS do
    local bucket, wait, wait_rem = take(i, n, half)
    if not bucket then
      return {wait, wait_rem, i}
    end
    taken[i] = bucket
  end
  for i = first, #KEYS do
    store(i, taken[i][1], taken[i][2])
  end
  return nil
end

-- A lease: count calls from every bucket at once while each stays at least half full (take_all
-- answers nil when it took them); otherwise the check takes one call, exactly as below.
if ARGV[1] ~= 'refund' and count > 1 and not take_all(1, count, true) then
  return {1, count, 0, 0}
end
if ARGV[1] == 'consume' then
  local refused = take_all(1, 1, false)
  if refused then
    return {0, refused[1], refused[2], refused[3]}
  end
elseif ARGV[1] == 'consume-first-then' then
  local bucket, wait, wait_rem = take(1, 1, false)
  if not bucket then
    return {0, wait, wait_rem, 1}
  end
  store(1, bucket[1], bucket[2])
  local refused = take_all(2, 1, false)
  if refused then
    return {2, refused[1], refused[2], refused[3]}
  end
else
  for i = 1, #KEYS do
    local capacity, period = argument(i, 0), argument(i, 1)
    local tat, rem = state(i, capacity, period)
    tat, rem = tat - count * argument(i, 2), rem - count * argument(i, 3)
    if rem < 0 then
      local borrow = math.ceil(-rem / capacity)
      tat, rem = tat - borrow, rem + borrow * capacity
    end
    store(i, tat, rem)
  end
end
return {1, 1, 0, 0}
