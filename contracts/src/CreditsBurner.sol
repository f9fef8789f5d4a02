// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title Burn tokens for Data Credits
/// @notice A customer burns BCT (after approving this contract) and the event says how many Data
///         Credits that bought: DC = floor(amount * price / 1e21), where price is USD per whole token
///         with 8 decimals (1 DC = 0.00001 USD; amount has 18 decimals). The oracle role pushes the
///         price with the time it was observed; a price older than maxPriceAge is refused.
contract CreditsBurner is AccessControl {
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");

    ERC20Burnable public immutable token;
    uint256 public priceE8;
    uint64 public priceUpdatedAt;
    uint64 public maxPriceAge;

    event PriceUpdated(uint256 priceE8, uint64 observedAt);
    event MaxPriceAgeUpdated(uint64 maxPriceAge);
    event CreditsBought(address indexed buyer, bytes32 indexed account, uint256 tokenAmount, uint256 priceE8, uint256 dataCredits);

    error NoPrice();
    error StalePrice(uint64 updatedAt, uint64 maxPriceAge);
    error PriceFromTheFuture(uint64 observedAt);
    error ZeroPrice();
    error TooSmall(uint256 tokenAmount);

    constructor(address admin, ERC20Burnable token_, uint64 maxPriceAge_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ORACLE_ROLE, admin);
        token = token_;
        maxPriceAge = maxPriceAge_;
    }

    function setPrice(uint256 newPriceE8, uint64 observedAt) external onlyRole(ORACLE_ROLE) {
        if (newPriceE8 == 0) revert ZeroPrice();
        if (observedAt > block.timestamp) revert PriceFromTheFuture(observedAt);
        priceE8 = newPriceE8;
        priceUpdatedAt = observedAt;
        emit PriceUpdated(newPriceE8, observedAt);
    }

    function setMaxPriceAge(uint64 newMaxPriceAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        maxPriceAge = newMaxPriceAge;
        emit MaxPriceAgeUpdated(newMaxPriceAge);
    }

    /// @notice The Data Credits that burning `tokenAmount` buys now; reverts when the price is missing or stale.
    function quote(uint256 tokenAmount) public view returns (uint256) {
        if (priceUpdatedAt == 0) revert NoPrice();
        if (block.timestamp > uint256(priceUpdatedAt) + maxPriceAge) revert StalePrice(priceUpdatedAt, maxPriceAge);
        return tokenAmount * priceE8 / 1e21;
    }

    /// @notice Burns `tokenAmount` of the caller's tokens for Data Credits credited to `account`: the
    ///         marketplace account's wallet address (20 bytes) left-padded with zeros to 32 bytes. An
    ///         account with anything in its upper 12 bytes names no wallet and is credited to no one.
    function burnForCredits(uint256 tokenAmount, bytes32 account) external returns (uint256 dataCredits) {
        dataCredits = quote(tokenAmount);
        if (dataCredits == 0) revert TooSmall(tokenAmount);
        token.burnFrom(msg.sender, tokenAmount);
        emit CreditsBought(msg.sender, account, tokenAmount, priceE8, dataCredits);
    }
}
