# Windows: sets up ChinaDialog Desktop in .venv, then starts the app or runs the tests.
#   powershell -ExecutionPolicy Bypass -File tools\bootstrap.ps1 app
#   powershell -ExecutionPolicy Bypass -File tools\bootstrap.ps1 test
param([string]$What = "app", [Parameter(ValueFromRemainingArguments = $true)] $Rest)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
$lock = if ($What -eq "test") { "requirements\dev.lock" } else { "requirements\app.lock" }
.venv\Scripts\python.exe -m pip install -q --upgrade pip
.venv\Scripts\python.exe -m pip install -q -r $lock
.venv\Scripts\python.exe -m pip install -q --no-deps -e .
if ($What -eq "test") {
    # The suite runs on every CPU (pytest-xdist) unless the options choose otherwise.
    $Parallel = @("-n", "auto", "--dist", "loadfile")
    foreach ($a in $Rest) { if ("$a" -match '^(-n|--numprocesses|no:xdist|--collect-only|--co)') { $Parallel = @() } }
    .venv\Scripts\python.exe -m pytest @Parallel @Rest; exit $LASTEXITCODE
}
.venv\Scripts\chinadialog.exe @Rest
exit $LASTEXITCODE
