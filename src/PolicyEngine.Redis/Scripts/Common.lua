-- Shared by every script (prepended to each). Integers are Lua numbers (doubles): every one used here stays below
-- 2^53 (microseconds since 1970, counts, sequence numbers), so it is exact. Amounts are never doubles: they are exact
-- decimals held as LIMBS base-10^7 limbs (little endian), scaled by 10^28 (decimal's finest unit), 63 digits in all,
-- which holds twice decimal's largest value; each limb and each limb sum stays far below 2^53.
local LIMBS, BASE, FRACTION, INTEGER = 9, 10000000, 28, 35
local NONE = -9007199254740992 -- "no time": below every real one
local MARGIN = 60000000 -- microseconds a key outlives what it holds (clocks of replicas and of Redis may differ)

local function dec(s)
  local ip, fp = string.match(s, '^(%d*)%.?(%d*)$')
  if ip == nil or #ip > INTEGER or #fp > FRACTION then
    error('policyengine: not an amount: ' .. tostring(s))
  end
  local digits = string.rep('0', INTEGER - #ip) .. ip .. fp .. string.rep('0', FRACTION - #fp)
  local r = {}
  for i = 1, LIMBS do
    local e = (LIMBS - i + 1) * 7
    r[i] = tonumber(string.sub(digits, e - 6, e))
  end
  return r
end

local function fmt(a)
  local parts = {}
  for i = LIMBS, 1, -1 do
    parts[#parts + 1] = string.format('%07d', a[i])
  end
  local digits = table.concat(parts)
  local ip = string.gsub(string.sub(digits, 1, INTEGER), '^0+', '')
  local fp = string.gsub(string.sub(digits, INTEGER + 1), '0+$', '')
  if ip == '' then ip = '0' end
  if fp == '' then return ip end
  return ip .. '.' .. fp
end

local function add(a, b)
  local r, carry = {}, 0
  for i = 1, LIMBS do
    local v = a[i] + b[i] + carry
    if v >= BASE then r[i] = v - BASE; carry = 1 else r[i] = v; carry = 0 end
  end
  return r
end

-- a - b, for a >= b only.
local function sub(a, b)
  local r, borrow = {}, 0
  for i = 1, LIMBS do
    local v = a[i] - b[i] - borrow
    if v < 0 then r[i] = v + BASE; borrow = 1 else r[i] = v; borrow = 0 end
  end
  return r
end

local function cmp(a, b)
  for i = LIMBS, 1, -1 do
    if a[i] ~= b[i] then
      if a[i] < b[i] then return -1 end
      return 1
    end
  end
  return 0
end

local function min(a, b)
  if cmp(a, b) <= 0 then return a end
  return b
end

local ZERO = dec('0')

local function int(s)
  return string.format('%.0f', s)
end

-- a mod b for integers, exact: Lua 5.1's % divides in floating point, which can round the quotient up.
local function mod(a, b)
  local r = a - math.floor(a / b) * b
  if r < 0 then r = r + b elseif r >= b then r = r - b end
  return r
end

-- The time of this call in microseconds: the client's (an argument) or, when it sends none, Redis TIME.
local function clock(arg)
  if arg ~= '' then return tonumber(arg) end
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function ms(us)
  return math.ceil(us / 1000)
end

-- Sets a key's TTL to cover at least `us` more microseconds (plus the margin); never shortens it.
local function keep(key, us)
  local want = ms(us + MARGIN)
  local left = redis.call('PTTL', key)
  if left < want then redis.call('PEXPIRE', key, want) end
end
