-- Shared by every script (prepended to each). Integers are Lua numbers (doubles): every one used here stays below
-- 2^53 (microseconds since 1970, counts, sequence numbers), so it is exact, and string.format's %d (a C long) prints
-- it exactly, where %.0f costs three times as much and tostring keeps only 14 digits. Amounts are exact: a whole
-- amount below 10^15 (every count limit's, and most costs) is a Lua number, whose sums stay below 2^53 and so are exact
-- too; any other amount is held as LIMBS base-10^7 limbs (little endian), scaled by 10^28 (decimal's finest unit), 63
-- digits in all, which holds twice decimal's largest value; each limb and each limb sum stays far below 2^53. An
-- operation on two numbers whose result would leave that range, or on a number and limbs, is done on limbs.

-- The library functions the counters use, as locals: a global is a table lookup on every use, a local is not. Bound by
-- bind() when a call starts (FUNCTION LOAD cannot reach them; a function library binds once, a script on every run).
local type, tonumber, floor, ceil, byte, find, format, match, pack, unpack, call
local function bind()
  type, tonumber, floor, ceil, byte, find, format, match, pack, unpack, call =
    _G.type, _G.tonumber, _G.math.floor, _G.math.ceil, _G.string.byte, _G.string.find, _G.string.format, _G.string.match,
    _G.struct.pack, _G.struct.unpack, _G.redis.call
end

local NONE = -9007199254740992 -- "no time": below every real one
local MARGIN = 60000000 -- microseconds a key outlives what it holds (clocks of replicas and of Redis may differ)
local SMALL = 1000000000000000 -- 10^15: whole amounts below it are Lua numbers
local ZERO = 0

-- The limb arithmetic, built on its first use: a script defines its functions again on every run, and most calls
-- never need these.
local WIDE
local function wide()
  if WIDE then return WIDE end
  local LIMBS, BASE, FRACTION, INTEGER = 9, 10000000, 28, 35
  local w = {}

  function w.parse(s)
    local ip, fp = match(s, '^(%d*)%.?(%d*)$')
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

  -- A whole number below SMALL as limbs: its digits start at limb 5 (the first 4 limbs are the 28 decimal places).
  function w.widen(n)
    if type(n) ~= 'number' then return n end
    local r = {}
    for i = 1, LIMBS do r[i] = 0 end
    local k = FRACTION / 7 + 1
    while n > 0 do
      local q = floor(n / BASE)
      r[k] = n - q * BASE
      n = q
      k = k + 1
    end
    return r
  end

  function w.format(a)
    local parts = {}
    for i = LIMBS, 1, -1 do
      parts[#parts + 1] = format('%07d', a[i])
    end
    local digits = table.concat(parts)
    local ip = string.gsub(string.sub(digits, 1, INTEGER), '^0+', '')
    local fp = string.gsub(string.sub(digits, INTEGER + 1), '0+$', '')
    if ip == '' then ip = '0' end
    if fp == '' then return ip end
    return ip .. '.' .. fp
  end

  function w.add(a, b)
    a, b = w.widen(a), w.widen(b)
    local r, carry = {}, 0
    for i = 1, LIMBS do
      local v = a[i] + b[i] + carry
      if v >= BASE then r[i] = v - BASE; carry = 1 else r[i] = v; carry = 0 end
    end
    return r
  end

  -- a - b, for a >= b only.
  function w.sub(a, b)
    a, b = w.widen(a), w.widen(b)
    local r, borrow = {}, 0
    for i = 1, LIMBS do
      local v = a[i] - b[i] - borrow
      if v < 0 then r[i] = v + BASE; borrow = 1 else r[i] = v; borrow = 0 end
    end
    return r
  end

  function w.cmp(a, b)
    a, b = w.widen(a), w.widen(b)
    for i = LIMBS, 1, -1 do
      if a[i] ~= b[i] then
        if a[i] < b[i] then return -1 end
        return 1
      end
    end
    return 0
  end

  WIDE = w
  return w
end

-- Amounts parsed from arguments before: most are the same few texts call after call (a cost of 1), and tonumber
-- (strtod) took a tenth of a call's time in Redis. Only whole numbers are kept. A function library keeps the table from
-- call to call (a script starts it empty on every run); it starts again empty when it holds PARSED_MAX.
local PARSED, PARSED_COUNT, PARSED_MAX = {}, 0, 1024

-- An amount's text (canonical decimal) as an amount: a number when whole and below SMALL, else limbs.
local function dec(s)
  local v = PARSED[s]
  if v then return v end
  if #s <= 15 and find(s, '^%d+$') then
    v = tonumber(s)
    if v < SMALL then
      if PARSED_COUNT >= PARSED_MAX then PARSED, PARSED_COUNT = {}, 0 end
      PARSED[s], PARSED_COUNT = v, PARSED_COUNT + 1
      return v
    end
  end
  return wide().parse(s)
end

local function fmt(a)
  if type(a) == 'number' then return format('%d', a) end
  return wide().format(a)
end

local function add(a, b)
  if type(a) == 'number' and type(b) == 'number' then
    local v = a + b
    if v < SMALL then return v end
  end
  return wide().add(a, b)
end

-- a - b, for a >= b only; a whole result below SMALL comes back as a number only when both were numbers.
local function sub(a, b)
  if type(a) == 'number' and type(b) == 'number' then return a - b end
  return wide().sub(a, b)
end

local function cmp(a, b)
  if type(a) == 'number' and type(b) == 'number' then
    if a < b then return -1 elseif a > b then return 1 end
    return 0
  end
  return wide().cmp(a, b)
end

-- a mod b for integers, exact: Lua 5.1's % divides in floating point, which can round the quotient up.
local function mod(a, b)
  local r = a - floor(a / b) * b
  if r < 0 then r = r + b elseif r >= b then r = r - b end
  return r
end

-- The time of this call in microseconds: the client's (an argument) or, when it sends none, Redis TIME.
local function clock(arg)
  if arg ~= '' then return tonumber(arg) end
  if redis.replicate_commands then redis.replicate_commands() end
  local t = call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function ms(us)
  return ceil(us / 1000)
end

